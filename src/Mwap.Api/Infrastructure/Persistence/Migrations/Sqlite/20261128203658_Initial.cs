using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mwap.Api.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_logs",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    tenant_id = table.Column<string>(type: "TEXT", maxLength: 24, nullable: true),
                    actor_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    target_type = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    target_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ip = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    user_agent = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    trace_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    details = table.Column<string>(type: "TEXT", maxLength: 16000, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_logs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "superadmins",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    user_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    added_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_superadmins", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tenants",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    owner_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    archived = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    settings_allow_public_projects = table.Column<bool>(type: "INTEGER", nullable: false),
                    settings_max_projects = table.Column<int>(type: "INTEGER", nullable: false),
                    settings_retention_days = table.Column<int>(type: "INTEGER", nullable: true),
                    settings_features_advanced_security = table.Column<bool>(type: "INTEGER", nullable: false),
                    settings_features_cloud_integrations = table.Column<bool>(type: "INTEGER", nullable: false),
                    settings_features_custom_branding = table.Column<bool>(type: "INTEGER", nullable: false),
                    subscription_expires_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    subscription_plan = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    subscription_status = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tenants", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_logs_action_created_at",
                table: "audit_logs",
                columns: new[] { "action", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_logs_created_at",
                table: "audit_logs",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_audit_logs_tenant_id_created_at",
                table: "audit_logs",
                columns: new[] { "tenant_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_superadmins_user_id",
                table: "superadmins",
                column: "user_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tenants_name",
                table: "tenants",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tenants_owner_id",
                table: "tenants",
                column: "owner_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_logs");

            migrationBuilder.DropTable(
                name: "superadmins");

            migrationBuilder.DropTable(
                name: "tenants");
        }
    }
}
