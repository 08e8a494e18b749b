using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mwap.Api.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UsageAndAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "metadata",
                table: "tenants",
                type: "character varying(16000)",
                maxLength: 16000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "owner_email",
                table: "tenants",
                type: "character varying(320)",
                maxLength: 320,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "tenant_alerts",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    integration_id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    condition = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    provider_slug = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    provider_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    message = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    detail = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    email_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    email_attempts = table.Column<int>(type: "integer", nullable: false),
                    email_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    email_sent_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tenant_alerts", x => x.id);
                    table.ForeignKey(
                        name: "fk_tenant_alerts_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tenant_usage_daily",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    provider_requests = table.Column<long>(type: "bigint", nullable: false),
                    provider_requests_delta = table.Column<long>(type: "bigint", nullable: false),
                    files_indexed = table.Column<long>(type: "bigint", nullable: false),
                    storage_bytes = table.Column<long>(type: "bigint", nullable: false),
                    storage_by_provider = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    active_members = table.Column<int>(type: "integer", nullable: false),
                    projects = table.Column<int>(type: "integer", nullable: false),
                    integrations = table.Column<int>(type: "integer", nullable: false),
                    last_activity = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    computed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tenant_usage_daily", x => new { x.tenant_id, x.day });
                    table.ForeignKey(
                        name: "fk_tenant_usage_daily_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_tenant_alerts_email_status_created_at",
                table: "tenant_alerts",
                columns: new[] { "email_status", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_tenant_alerts_tenant_id_created_at_id",
                table: "tenant_alerts",
                columns: new[] { "tenant_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_tenant_alerts_tenant_id_integration_id_condition_day",
                table: "tenant_alerts",
                columns: new[] { "tenant_id", "integration_id", "condition", "day" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "tenant_alerts");

            migrationBuilder.DropTable(
                name: "tenant_usage_daily");

            migrationBuilder.DropColumn(
                name: "metadata",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "owner_email",
                table: "tenants");
        }
    }
}
