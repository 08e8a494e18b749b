using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mwap.Api.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FileIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "sync_consecutive_failures",
                table: "cloud_integrations",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "sync_cursor",
                table: "cloud_integrations",
                type: "character varying(8000)",
                maxLength: 8000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "sync_files_indexed",
                table: "cloud_integrations",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "sync_generation",
                table: "cloud_integrations",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "sync_last_error",
                table: "cloud_integrations",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "sync_last_full_sync_at",
                table: "cloud_integrations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "sync_last_started_at",
                table: "cloud_integrations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "sync_last_sync_at",
                table: "cloud_integrations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sync_lease_owner",
                table: "cloud_integrations",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "sync_lease_until",
                table: "cloud_integrations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sync_root_id",
                table: "cloud_integrations",
                type: "character varying(512)",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sync_state",
                table: "cloud_integrations",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "virtual_files",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    integration_id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    provider_file_id = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    parent_provider_id = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    name = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    name_lower = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    path = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: true),
                    path_lower = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: true),
                    parent_path_lower = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: true),
                    mime_type = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    is_folder = table.Column<bool>(type: "boolean", nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: true),
                    modified_time = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    checksum = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    sync_generation = table.Column<long>(type: "bigint", nullable: false),
                    indexed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_virtual_files", x => x.id);
                    table.ForeignKey(
                        name: "fk_virtual_files_cloud_integration_integration_id",
                        column: x => x.integration_id,
                        principalTable: "cloud_integrations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_virtual_files_integration_id_parent_provider_id",
                table: "virtual_files",
                columns: new[] { "integration_id", "parent_provider_id" });

            migrationBuilder.CreateIndex(
                name: "ix_virtual_files_tenant_id_integration_id_parent_path_lower_na",
                table: "virtual_files",
                columns: new[] { "tenant_id", "integration_id", "parent_path_lower", "name_lower", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_virtual_files_tenant_id_integration_id_path_lower",
                table: "virtual_files",
                columns: new[] { "tenant_id", "integration_id", "path_lower" });

            migrationBuilder.CreateIndex(
                name: "ix_virtual_files_tenant_id_integration_id_provider_file_id",
                table: "virtual_files",
                columns: new[] { "tenant_id", "integration_id", "provider_file_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "virtual_files");

            migrationBuilder.DropColumn(
                name: "sync_consecutive_failures",
                table: "cloud_integrations");

            migrationBuilder.DropColumn(
                name: "sync_cursor",
                table: "cloud_integrations");

            migrationBuilder.DropColumn(
                name: "sync_files_indexed",
                table: "cloud_integrations");

            migrationBuilder.DropColumn(
                name: "sync_generation",
                table: "cloud_integrations");

            migrationBuilder.DropColumn(
                name: "sync_last_error",
                table: "cloud_integrations");

            migrationBuilder.DropColumn(
                name: "sync_last_full_sync_at",
                table: "cloud_integrations");

            migrationBuilder.DropColumn(
                name: "sync_last_started_at",
                table: "cloud_integrations");

            migrationBuilder.DropColumn(
                name: "sync_last_sync_at",
                table: "cloud_integrations");

            migrationBuilder.DropColumn(
                name: "sync_lease_owner",
                table: "cloud_integrations");

            migrationBuilder.DropColumn(
                name: "sync_lease_until",
                table: "cloud_integrations");

            migrationBuilder.DropColumn(
                name: "sync_root_id",
                table: "cloud_integrations");

            migrationBuilder.DropColumn(
                name: "sync_state",
                table: "cloud_integrations");
        }
    }
}
