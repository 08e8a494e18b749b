using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mwap.Api.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FileIndexForeignKeyIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_virtual_files_integration_id_parent_provider_id",
                table: "virtual_files");

            migrationBuilder.CreateIndex(
                name: "ix_virtual_files_integration_id",
                table: "virtual_files",
                column: "integration_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_virtual_files_integration_id",
                table: "virtual_files");

            migrationBuilder.CreateIndex(
                name: "ix_virtual_files_integration_id_parent_provider_id",
                table: "virtual_files",
                columns: new[] { "integration_id", "parent_provider_id" });
        }
    }
}
