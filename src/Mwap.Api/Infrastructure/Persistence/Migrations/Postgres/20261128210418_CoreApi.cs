using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mwap.Api.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CoreApi : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cloud_providers",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    display_name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    slug = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    scopes = table.Column<List<string>>(type: "text[]", nullable: false),
                    auth_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    token_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    client_id = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    encrypted_client_secret = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    grant_type = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    token_method = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    metadata = table.Column<string>(type: "character varying(16000)", maxLength: 16000, nullable: true),
                    created_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cloud_providers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "project_types",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    config_schema = table.Column<string>(type: "character varying(64000)", maxLength: 64000, nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    created_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_project_types", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "cloud_integrations",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    provider_id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    encrypted_access_token = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true),
                    encrypted_refresh_token = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true),
                    token_expires_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    scopes_granted = table.Column<List<string>>(type: "text[]", nullable: false),
                    connected_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    metadata = table.Column<string>(type: "character varying(16000)", maxLength: 16000, nullable: true),
                    created_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    account_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    account_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    account_provider_user_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    health_error_count = table.Column<int>(type: "integer", nullable: false),
                    health_last_check = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    health_last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    health_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cloud_integrations", x => x.id);
                    table.ForeignKey(
                        name: "fk_cloud_integrations_cloud_providers_provider_id",
                        column: x => x.provider_id,
                        principalTable: "cloud_providers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_cloud_integrations_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "projects",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    project_type_id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    cloud_integration_id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    folder_path = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    config = table.Column<string>(type: "character varying(64000)", maxLength: 64000, nullable: false),
                    archived = table.Column<bool>(type: "boolean", nullable: false),
                    created_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_projects", x => x.id);
                    table.ForeignKey(
                        name: "fk_projects_cloud_integrations_cloud_integration_id",
                        column: x => x.cloud_integration_id,
                        principalTable: "cloud_integrations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_projects_project_types_project_type_id",
                        column: x => x.project_type_id,
                        principalTable: "project_types",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_projects_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "project_members",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    project_id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    user_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    role = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    added_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    added_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_project_members", x => new { x.tenant_id, x.project_id, x.user_id });
                    table.ForeignKey(
                        name: "fk_project_members_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_cloud_integrations_provider_id",
                table: "cloud_integrations",
                column: "provider_id");

            migrationBuilder.CreateIndex(
                name: "ix_cloud_integrations_tenant_id_provider_id",
                table: "cloud_integrations",
                columns: new[] { "tenant_id", "provider_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cloud_integrations_token_expires_at",
                table: "cloud_integrations",
                column: "token_expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_cloud_providers_name",
                table: "cloud_providers",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cloud_providers_slug",
                table: "cloud_providers",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_project_members_project_id",
                table: "project_members",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "ix_project_members_user_id",
                table: "project_members",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_project_types_name",
                table: "project_types",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_projects_cloud_integration_id",
                table: "projects",
                column: "cloud_integration_id");

            migrationBuilder.CreateIndex(
                name: "ix_projects_project_type_id",
                table: "projects",
                column: "project_type_id");

            migrationBuilder.CreateIndex(
                name: "ix_projects_tenant_id_name",
                table: "projects",
                columns: new[] { "tenant_id", "name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "project_members");

            migrationBuilder.DropTable(
                name: "projects");

            migrationBuilder.DropTable(
                name: "cloud_integrations");

            migrationBuilder.DropTable(
                name: "project_types");

            migrationBuilder.DropTable(
                name: "cloud_providers");
        }
    }
}
