using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mwap.Api.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class I12ChangeSubscriptions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "change_subscriptions",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    tenant_id = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    integration_id = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    external_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    resource_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    secret_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_change_subscriptions", x => x.id);
                    table.ForeignKey(
                        name: "fk_change_subscriptions_cloud_integrations_integration_id",
                        column: x => x.integration_id,
                        principalTable: "cloud_integrations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_change_subscriptions_expires_at",
                table: "change_subscriptions",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_change_subscriptions_integration_id",
                table: "change_subscriptions",
                column: "integration_id");

            migrationBuilder.CreateIndex(
                name: "ix_change_subscriptions_kind_external_id",
                table: "change_subscriptions",
                columns: new[] { "kind", "external_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "change_subscriptions");
        }
    }
}
