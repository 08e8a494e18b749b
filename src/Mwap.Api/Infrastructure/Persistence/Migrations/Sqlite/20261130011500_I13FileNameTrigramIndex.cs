using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mwap.Api.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <summary>
    /// The PostgreSQL set's trigram index on file names has no SQLite counterpart (SQLite's only trigram index is an
    /// FTS5 table, which the sync engine would have to maintain beside the index); this keeps the two sets' names
    /// equal. On SQLite a name search scans the integration's rows through the (tenant, integration, path) index.
    /// </summary>
    [DbContext(typeof(SqliteMwapDbContext))]
    [Migration("20261130011500_I13FileNameTrigramIndex")]
    public partial class I13FileNameTrigramIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
