using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mwap.Api.Infrastructure.Persistence.Migrations.Postgres
{
    /// <summary>
    /// A trigram index on file names (issue 13): <c>GET /projects/{id}/files?search=</c> matches a substring of the
    /// name, which no B-tree serves, so over a 100,000-file index every search read every row of the integration.
    /// pg_trgm ships with PostgreSQL and is a trusted extension (the database owner may create it). Not part of the
    /// EF model (the model has no notion of an operator class on SQLite), so the snapshot is unchanged.
    /// </summary>
    [DbContext(typeof(PostgresMwapDbContext))]
    [Migration("20261130011500_I13FileNameTrigramIndex")]
    public partial class I13FileNameTrigramIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.Sql("CREATE INDEX IF NOT EXISTS ix_virtual_files_name_lower_trgm ON virtual_files USING gin (name_lower gin_trgm_ops);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_virtual_files_name_lower_trgm;");
        }
    }
}
