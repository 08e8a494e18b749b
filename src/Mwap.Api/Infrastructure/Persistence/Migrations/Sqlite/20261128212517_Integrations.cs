using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mwap.Api.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Integrations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "last_refreshed_at",
                table: "cloud_integrations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "refresh_lease_owner",
                table: "cloud_integrations",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "refresh_lease_until",
                table: "cloud_integrations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "usage_last_request",
                table: "cloud_integrations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "usage_quota_limit",
                table: "cloud_integrations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "usage_quota_used",
                table: "cloud_integrations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "usage_total_requests",
                table: "cloud_integrations",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "oauth_flows",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    tenant_id = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    integration_id = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    user_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    nonce = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    encrypted_code_verifier = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_oauth_flows", x => x.id);
                    table.ForeignKey(
                        name: "fk_oauth_flows_cloud_integrations_integration_id",
                        column: x => x.integration_id,
                        principalTable: "cloud_integrations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_oauth_flows_expires_at",
                table: "oauth_flows",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_oauth_flows_integration_id",
                table: "oauth_flows",
                column: "integration_id");

            migrationBuilder.CreateIndex(
                name: "ix_oauth_flows_tenant_id_nonce",
                table: "oauth_flows",
                columns: new[] { "tenant_id", "nonce" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "oauth_flows");

            migrationBuilder.DropColumn(
                name: "last_refreshed_at",
                table: "cloud_integrations");

            migrationBuilder.DropColumn(
                name: "refresh_lease_owner",
                table: "cloud_integrations");

            migrationBuilder.DropColumn(
                name: "refresh_lease_until",
                table: "cloud_integrations");

            migrationBuilder.DropColumn(
                name: "usage_last_request",
                table: "cloud_integrations");

            migrationBuilder.DropColumn(
                name: "usage_quota_limit",
                table: "cloud_integrations");

            migrationBuilder.DropColumn(
                name: "usage_quota_used",
                table: "cloud_integrations");

            migrationBuilder.DropColumn(
                name: "usage_total_requests",
                table: "cloud_integrations");
        }
    }
}
