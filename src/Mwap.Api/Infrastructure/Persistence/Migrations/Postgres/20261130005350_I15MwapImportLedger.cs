using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mwap.Api.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class I15MwapImportLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "mwap_import_records",
                columns: table => new
                {
                    table_name = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    row_id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    fingerprint = table.Column<string>(type: "character varying(44)", maxLength: 44, nullable: false),
                    stamp = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    imported_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mwap_import_records", x => new { x.tenant_id, x.table_name, x.row_id });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mwap_import_records");
        }
    }
}
