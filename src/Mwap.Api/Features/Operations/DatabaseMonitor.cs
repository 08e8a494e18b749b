using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Operations;

internal sealed record DatabaseConnections(long? InUse, long? InUseByThisDatabase, long? Max, long? Available, string? Note);

internal sealed record TableStats(string Name, long? RowEstimate, long? TableBytes, long? IndexBytes);

internal sealed record SlowStatement(string Query, long Calls, double MeanMs, double TotalMs, long Rows);

internal sealed record SqlitePages(long PageCount, long PageSize, long FreelistCount, string AutoVacuum, string JournalMode, long? FileBytes);

internal sealed record DatabaseReport(
    string Provider,
    long? DatabaseSize,
    DatabaseConnections Connections,
    IReadOnlyList<TableStats> Tables,
    IReadOnlyList<SlowStatement> SlowestStatements,
    string? Note,
    SqlitePages? Sqlite);

/// <summary>
/// What the database says about itself, read with plain SQL over the context's connection: PostgreSQL's statistics
/// views and size functions, SQLite's pragmas and (when compiled in) the <c>dbstat</c> table. A view the server does
/// not offer (pg_stat_statements not installed, dbstat missing) yields empty figures and a note, never an error.
/// </summary>
internal sealed class DatabaseMonitor(MwapDbContext db)
{
    private const int SlowStatementCount = 10;
    private const int MaxQueryLength = 500;

    public async Task<DatabaseReport> ReportAsync(CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            return db.Database.IsNpgsql()
                ? await PostgresAsync(connection, cancellationToken)
                : await SqliteAsync(connection, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<DatabaseReport> PostgresAsync(DbConnection connection, CancellationToken ct)
    {
        var size = await ScalarAsync<long>(connection, "SELECT pg_database_size(current_database())", ct);
        var inUse = await ScalarAsync<long>(connection, "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'", ct);
        var inThisDb = await ScalarAsync<long>(connection, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()", ct);
        var max = await ScalarAsync<long>(connection, "SELECT current_setting('max_connections')::bigint", ct);
        var reserved = await ScalarAsync<long>(connection, "SELECT current_setting('superuser_reserved_connections')::bigint", ct);
        var connections = new DatabaseConnections(inUse, inThisDb, max, Math.Max(0, max - reserved - inUse),
            "inUse counts client connections to the whole server; available excludes superuser_reserved_connections");

        var tables = new List<TableStats>();
        await using (var command = connection.CreateCommand())
        {
            // reltuples is the planner's estimate (-1 before the first ANALYZE; then the live-tuple counter stands in).
            command.CommandText = """
                SELECT CASE WHEN n.nspname = current_schema() THEN c.relname ELSE n.nspname || '.' || c.relname END,
                       COALESCE(NULLIF(c.reltuples, -1)::bigint, s.n_live_tup),
                       pg_table_size(c.oid), pg_indexes_size(c.oid)
                FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
                WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
                ORDER BY pg_total_relation_size(c.oid) DESC, 1
                """;
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                tables.Add(new TableStats(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
            }
        }

        var (slowest, note) = await SlowestStatementsAsync(connection, ct);
        return new DatabaseReport("postgresql", size, connections, tables, slowest, note, Sqlite: null);
    }

    private static async Task<(IReadOnlyList<SlowStatement>, string?)> SlowestStatementsAsync(DbConnection connection, CancellationToken ct)
    {
        var installed = await ScalarAsync<long>(connection, "SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'", ct) > 0;
        if (!installed)
        {
            return ([], "pg_stat_statements is not installed (CREATE EXTENSION pg_stat_statements, with it in shared_preload_libraries)");
        }

        var list = new List<SlowStatement>();
        try
        {
            await using var command = connection.CreateCommand();
            // Statements are normalised by the extension ($1 placeholders): no literal values are shown.
            command.CommandText = $"""
                SELECT query, calls, mean_exec_time, total_exec_time, rows FROM pg_stat_statements
                WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                ORDER BY mean_exec_time DESC LIMIT {SlowStatementCount}
                """;
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var query = reader.GetString(0);
                list.Add(new SlowStatement(query.Length <= MaxQueryLength ? query : query[..MaxQueryLength] + "…",
                    reader.GetInt64(1), Math.Round(reader.GetDouble(2), 3), Math.Round(reader.GetDouble(3), 3), reader.GetInt64(4)));
            }
        }
        catch (DbException)
        {
            // Installed but not preloaded: the view refuses to be read.
            return ([], "pg_stat_statements is installed but not loaded (add it to shared_preload_libraries)");
        }

        return (list, null);
    }

    private static async Task<DatabaseReport> SqliteAsync(DbConnection connection, CancellationToken ct)
    {
        var pageCount = await ScalarAsync<long>(connection, "PRAGMA page_count", ct);
        var pageSize = await ScalarAsync<long>(connection, "PRAGMA page_size", ct);
        var freelist = await ScalarAsync<long>(connection, "PRAGMA freelist_count", ct);
        var autoVacuum = await ScalarAsync<long>(connection, "PRAGMA auto_vacuum", ct) switch { 0 => "none", 1 => "full", 2 => "incremental", var v => v.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var journal = await ScalarAsync<string>(connection, "PRAGMA journal_mode", ct) ?? "unknown";
        var file = new SqliteConnectionStringBuilder(connection.ConnectionString).DataSource;
        long? fileBytes = File.Exists(file) ? new FileInfo(file).Length : null;

        var objects = new List<(string Name, string Type, string Table)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, type, tbl_name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                objects.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var bytes = await DbstatAsync(connection, ct);
        var tables = new List<TableStats>();
        foreach (var table in objects.Where(o => o.Type == "table"))
        {
            // SQLite keeps no row estimate unless ANALYZE ran; counting is exact and cheap at the sizes SQLite serves.
            var rows = await ScalarAsync<long>(connection, $"SELECT count(*) FROM \"{table.Name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", ct);
            long? tableBytes = bytes?.GetValueOrDefault(table.Name);
            long? indexBytes = bytes is null ? null : objects.Where(o => o.Type == "index" && o.Table == table.Name).Sum(o => bytes.GetValueOrDefault(o.Name));
            tables.Add(new TableStats(table.Name, rows, tableBytes, indexBytes));
        }

        return new DatabaseReport("sqlite", pageCount * pageSize,
            new DatabaseConnections(null, null, null, null, "SQLite is an embedded file: there are no server connections to count"),
            [.. tables.OrderByDescending(t => (t.TableBytes ?? 0) + (t.IndexBytes ?? 0)).ThenBy(t => t.Name, StringComparer.Ordinal)],
            [],
            "SQLite keeps no statement statistics" + (bytes is null ? "; table and index sizes need the dbstat table, which this SQLite build lacks" : ""),
            new SqlitePages(pageCount, pageSize, freelist, autoVacuum, journal, fileBytes));
    }

    /// <summary>Bytes per table or index from the <c>dbstat</c> virtual table, or null when the build lacks it.</summary>
    private static async Task<Dictionary<string, long>?> DbstatAsync(DbConnection connection, CancellationToken ct)
    {
        try
        {
            var result = new Dictionary<string, long>(StringComparer.Ordinal);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                result[reader.GetString(0)] = reader.GetInt64(1);
            }

            return result;
        }
        catch (SqliteException)
        {
            return null;
        }
    }

    private static async Task<T?> ScalarAsync<T>(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(ct);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
