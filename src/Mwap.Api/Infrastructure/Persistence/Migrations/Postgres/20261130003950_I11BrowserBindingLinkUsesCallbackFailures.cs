using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mwap.Api.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class I11BrowserBindingLinkUsesCallbackFailures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "browser_binding_hash",
                table: "oauth_flows",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "dashboard_link_uses",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    expires_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dashboard_link_uses", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "oauth_callback_failures",
                columns: table => new
                {
                    ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    window_start = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    count = table.Column<int>(type: "integer", nullable: false),
                    last_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_oauth_callback_failures", x => new { x.ip, x.window_start, x.code });
                });

            migrationBuilder.CreateIndex(
                name: "ix_dashboard_link_uses_expires_at",
                table: "dashboard_link_uses",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_oauth_callback_failures_window_start",
                table: "oauth_callback_failures",
                column: "window_start");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "dashboard_link_uses");

            migrationBuilder.DropTable(
                name: "oauth_callback_failures");

            migrationBuilder.DropColumn(
                name: "browser_binding_hash",
                table: "oauth_flows");
        }
    }
}
