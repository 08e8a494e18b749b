using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Mwap.Api.Features.Projects;
using Mwap.Api.Features.SuperAdmins;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Import;

/// <summary>
/// A stamp the import moves in every transaction it commits, kept as one platform row of its ledger: the import runs
/// in another process (the CLI), where no cache invalidation reaches a running server, so each server watches this row
/// (<see cref="ImportWatcher"/>) and drops its cached roles and projects when it moves.
/// </summary>
internal static class ImportMarker
{
    public const string Table = "import_runs";
    public const string Row = "latest";

    // An upsert, so two writes never race on the insert; the same statement on SQLite and PostgreSQL.
    private const string Upsert = """
        INSERT INTO mwap_import_records (tenant_id, table_name, row_id, fingerprint, stamp, imported_at)
        VALUES ('', {0}, {1}, {2}, {3}, {4})
        ON CONFLICT (tenant_id, table_name, row_id) DO UPDATE
        SET fingerprint = excluded.fingerprint, stamp = excluded.stamp, imported_at = excluded.imported_at
        """;

    /// <summary>PostgreSQL: the transaction's commit need not wait for its WAL flush, said in the same round trip as the upsert.</summary>
    private const string RelaxedUpsert = "SET LOCAL synchronous_commit = off; " + Upsert;

    /// <summary>
    /// Moves the stamp in the current transaction; with <paramref name="relaxCommit"/> (PostgreSQL) also lets its commit
    /// return before the WAL flush: a crash can lose the last commits, never half a tenant, and the next run redoes them.
    /// </summary>
    public static async Task TouchAsync(MwapDbContext db, ImportRun run, bool relaxCommit, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlRawAsync(relaxCommit ? RelaxedUpsert : Upsert, [Table, Row, run.Id, run.NextMarkerStamp(), run.Now], cancellationToken);

    /// <summary>The current stamp (run id and write count), or null before any import.</summary>
    public static async Task<string?> ReadAsync(MwapDbContext db, CancellationToken cancellationToken) =>
        await db.Set<ImportRecord>().AsNoTracking()
            .Where(r => r.TenantId == "" && r.Table == Table && r.RowId == Row)
            .Select(r => r.Fingerprint + ":" + r.Stamp)
            .FirstOrDefaultAsync(cancellationToken);
}

/// <summary>
/// Drops this instance's cached roles, projects and file pages when an import (another process) has committed since the last
/// look, every <see cref="SuperAdminDirectory.PollInterval"/> like the superadmin directory. The first look after
/// start clears too when any import ever ran: what was cached before it cannot be trusted to predate the import.
/// </summary>
internal sealed partial class ImportWatcher(IServiceScopeFactory scopes, HybridCache cache, Files.FilesPageCache filePages, Integrations.IntegrationReadCache integrationReads, TimeProvider time, ILogger<ImportWatcher> logger)
    : BackgroundService
{
    private string? _seen;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SuperAdminDirectory.PollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var stamp = await ImportMarker.ReadAsync(scope.ServiceProvider.GetRequiredService<MwapDbContext>(), stoppingToken);
                if (stamp is not null && stamp != _seen)
                {
                    await cache.RemoveByTagAsync([RoleResolver.CacheTag, ProjectReadCache.CacheTag], stoppingToken);
                    filePages.Clear();
                    integrationReads.Clear();
                    _seen = stamp;
                    LogCachesCleared(logger, stamp);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database is away (or not yet migrated): look again on the next tick.
                LogReadFailed(logger, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "An MWAP import committed ({Stamp}); cached roles and projects dropped")]
    private static partial void LogCachesCleared(ILogger logger, string stamp);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not read the import marker ({ExceptionType}); trying again on the next tick")]
    private static partial void LogReadFailed(ILogger logger, string exceptionType);
}
