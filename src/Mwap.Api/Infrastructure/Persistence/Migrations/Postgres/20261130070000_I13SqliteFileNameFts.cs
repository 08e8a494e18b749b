using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mwap.Api.Infrastructure.Persistence.Migrations.Postgres
{
    /// <summary>
    /// The SQLite set's FTS5 name index has no PostgreSQL counterpart: PostgreSQL's trigram index on file names exists
    /// since <c>I13FileNameTrigramIndex</c>. This keeps the two sets' names equal.
    /// </summary>
    [DbContext(typeof(PostgresMwapDbContext))]
    [Migration("20261130070000_I13SqliteFileNameFts")]
    public partial class I13SqliteFileNameFts : Migration
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
