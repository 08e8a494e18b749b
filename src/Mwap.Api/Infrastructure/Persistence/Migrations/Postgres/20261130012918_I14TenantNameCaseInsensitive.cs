using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mwap.Api.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class I14TenantNameCaseInsensitive : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tenants_name",
                table: "tenants");

            migrationBuilder.AddColumn<string>(
                name: "name_normalized",
                table: "tenants",
                type: "character varying(75)",
                maxLength: 75,
                nullable: false,
                defaultValue: "");

            // Backfill, and do not fail on names that already differ only in case: the oldest tenant keeps the plain
            // lower-case name, each later one gets "#<its id>" appended (its visible name is untouched), so the unique
            // index can be built. TenantNameClashes reports them (start-up warning, `migrate` output) until renamed.
            migrationBuilder.Sql("UPDATE tenants SET name_normalized = lower(name);");
            migrationBuilder.Sql(
                "UPDATE tenants SET name_normalized = name_normalized || '#' || id WHERE id IN (" +
                "SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY name_normalized ORDER BY created_at, id) AS n FROM tenants) ranked " +
                "WHERE n > 1);");

            migrationBuilder.CreateIndex(
                name: "ix_tenants_name_normalized",
                table: "tenants",
                column: "name_normalized",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tenants_name_normalized",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "name_normalized",
                table: "tenants");

            migrationBuilder.CreateIndex(
                name: "ix_tenants_name",
                table: "tenants",
                column: "name",
                unique: true);
        }
    }
}
