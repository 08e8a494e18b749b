using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Operations;

/// <summary>
/// Weekly database upkeep. SQLite: <c>PRAGMA optimize</c> (refreshes the planner's statistics where they drifted) and
/// <c>PRAGMA incremental_vacuum</c>, which returns free pages to the file system only when the database's
/// <c>auto_vacuum</c> mode is INCREMENTAL; the mode is reported, never changed (switching it needs a full VACUUM that
/// locks the file). PostgreSQL: <c>ANALYZE</c> of each table of our model (autovacuum does the vacuuming). Records an
/// audit entry <c>maintenance.run</c> with the statements and the duration. Idempotent.
/// </summary>
internal sealed partial class MaintenanceJob(MwapDbContext db, IAuditLog audit, ILogger<MaintenanceJob> logger)
{
    public const string RecurringJobId = "maintenance";
    public const string AuditAction = "maintenance.run";

    public sealed record Result(string Provider, IReadOnlyList<string> Statements, long DurationMs, string? AutoVacuum, string? Note);

    public async Task<Result> RunAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var statements = new List<string>();
        string? autoVacuum = null;
        string? note = null;
        var provider = db.Database.IsNpgsql() ? "postgresql" : "sqlite";

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            if (provider == "sqlite")
            {
                autoVacuum = await ScalarAsync(connection, "PRAGMA auto_vacuum;", cancellationToken) switch
                {
                    0L => "none",
                    1L => "full",
                    2L => "incremental",
                    var other => other?.ToString(),
                };
                if (autoVacuum != "incremental")
                {
                    note = $"auto_vacuum is {autoVacuum}: incremental_vacuum frees nothing; switching to INCREMENTAL needs a full VACUUM, so it is left to an operator.";
                }

                foreach (var sql in new[] { "PRAGMA optimize;", "PRAGMA incremental_vacuum;" })
                {
                    await ExecuteAsync(connection, sql, cancellationToken);
                    statements.Add(sql);
                }
            }
            else
            {
                foreach (var table in OurTables())
                {
                    var sql = $"ANALYZE {table};";
                    await ExecuteAsync(connection, sql, cancellationToken);
                    statements.Add(sql);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        var durationMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        audit.Record(AuditAction, "database", null, null, new { provider, statements, durationMs, autoVacuum, note });
        await db.SaveChangesAsync(cancellationToken);
        LogRun(logger, provider, statements.Count, durationMs, string.Join(" ", statements));
        return new Result(provider, statements, durationMs, autoVacuum, note);
    }

    /// <summary>Every table of the EF model, schema-qualified when it has one, each identifier quoted.</summary>
    private IEnumerable<string> OurTables() => db.Model.GetEntityTypes()
        .Where(e => e.GetTableName() is not null && e.GetViewName() is null)
        .Select(e => (Schema: e.GetSchema(), Table: e.GetTableName()!))
        .Distinct()
        .OrderBy(t => t.Table, StringComparer.Ordinal)
        .Select(t => t.Schema is null ? Quote(t.Table) : $"{Quote(t.Schema)}.{Quote(t.Table)}");

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Maintenance on {Provider}: {Count} statements in {DurationMs} ms ({Statements})")]
    private static partial void LogRun(ILogger logger, string provider, int count, long durationMs, string statements);
}
