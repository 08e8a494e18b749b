using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mwap.Api.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <summary>
    /// SQLite's counterpart of the PostgreSQL trigram index (issue 13): an FTS5 table with the trigram tokenizer over
    /// <c>virtual_files.name_lower</c> (external content, keyed by the row's rowid), kept in step by triggers, so a
    /// name search reads the matching rows instead of every row of the integration (481 ms p99 over 100,000 files).
    /// The search still applies its <c>LIKE</c> on the table, so the index only narrows. Not part of the EF model (the
    /// snapshot is unchanged); PostgreSQL has no counterpart migration because its index exists since
    /// <c>I13FileNameTrigramIndex</c>. A <c>VACUUM</c> may renumber rowids: rebuild the index after one
    /// (<c>INSERT INTO virtual_files_name_fts(virtual_files_name_fts) VALUES('rebuild')</c>, docs/operations.md).
    /// </summary>
    [DbContext(typeof(SqliteMwapDbContext))]
    [Migration("20261130070000_I13SqliteFileNameFts")]
    public partial class I13SqliteFileNameFts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE VIRTUAL TABLE virtual_files_name_fts USING fts5(name_lower, content='virtual_files', tokenize='trigram');");
            migrationBuilder.Sql("INSERT INTO virtual_files_name_fts(virtual_files_name_fts) VALUES('rebuild');");
            migrationBuilder.Sql("""
                CREATE TRIGGER virtual_files_name_fts_insert AFTER INSERT ON virtual_files BEGIN
                  INSERT INTO virtual_files_name_fts(rowid, name_lower) VALUES (new.rowid, new.name_lower);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER virtual_files_name_fts_delete AFTER DELETE ON virtual_files BEGIN
                  INSERT INTO virtual_files_name_fts(virtual_files_name_fts, rowid, name_lower) VALUES ('delete', old.rowid, old.name_lower);
                END;
                """);
            // The sync engine's upsert sets every column: only a real rename touches the index.
            migrationBuilder.Sql("""
                CREATE TRIGGER virtual_files_name_fts_update AFTER UPDATE OF name_lower ON virtual_files WHEN old.name_lower IS NOT new.name_lower BEGIN
                  INSERT INTO virtual_files_name_fts(virtual_files_name_fts, rowid, name_lower) VALUES ('delete', old.rowid, old.name_lower);
                  INSERT INTO virtual_files_name_fts(rowid, name_lower) VALUES (new.rowid, new.name_lower);
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS virtual_files_name_fts_update;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS virtual_files_name_fts_delete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS virtual_files_name_fts_insert;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS virtual_files_name_fts;");
        }
    }
}
