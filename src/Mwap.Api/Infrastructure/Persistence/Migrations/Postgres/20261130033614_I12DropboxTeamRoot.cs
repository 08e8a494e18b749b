using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mwap.Api.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class I12DropboxTeamRoot : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "account_root_namespace_id",
                table: "cloud_integrations",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "account_root_namespace_id",
                table: "cloud_integrations");
        }
    }
}
