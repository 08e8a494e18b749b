using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Integrations.Providers;
using Mwap.Api.Features.Integrations.Tokens;
using Mwap.Api.Infrastructure.Observability;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Files.Sync;

internal enum SyncResultKind
{
    Completed,
    AlreadyRunning,

    /// <summary>Stopped part-way: the lease was lost to another run, which owns the index now.</summary>
    LeaseLost,
    NotFound,
    NotActive,
    Failed,
}

internal sealed record SyncResult(SyncResultKind Kind, string? Mode = null, int Changes = 0, long FilesIndexed = 0, string? Error = null);

/// <summary>
/// Keeps one integration's slice of <c>virtual_files</c> equal to the provider's account. A full sync walks the
/// account page by page and then removes every row it did not see (its generation is older); an incremental sync reads
/// the change feed and stores the feed's cursor in the same transaction as the rows of each page, so a sync killed
/// anywhere resumes without gaps or duplicates. An expired cursor falls back to a full sync. One sync runs per
/// integration at a time, across instances (<see cref="SyncLease"/>); a run that loses its lease stops at once and
/// writes nothing more, so a stalled run can never undo or delete what a newer one wrote.
/// </summary>
internal sealed partial class FileSyncService(
    MwapDbContext db, FileIndexStore store, SyncLease lease, ChangeApplier applier, IServiceScopeFactory scopes, IEnumerable<IFileSyncSource> sources,
    IOptions<IntegrationJobsOptions> options, TimeProvider time, ILogger<FileSyncService> logger, Projects.ProjectReadCache projectReads,
    FilesPageCache filePages, IntegrationReadCache integrationReads)
{
    /// <summary>A full sync this large refreshes PostgreSQL's statistics: a planner that still sees the index empty picks the wrong index.</summary>
    private const int AnalyzeAfterRows = 10_000;


    public async Task<SyncResult> SyncAsync(string integrationId, bool full, CancellationToken cancellationToken)
    {
        var integration = await db.Set<CloudIntegration>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == integrationId, cancellationToken);
        if (integration is null)
        {
            return new SyncResult(SyncResultKind.NotFound);
        }

        if (integration.Status is not (IntegrationStatus.Active or IntegrationStatus.Error) || integration.EncryptedAccessToken is null)
        {
            return new SyncResult(SyncResultKind.NotActive);
        }

        if (!await lease.TryTakeAsync(integrationId, cancellationToken))
        {
            return new SyncResult(SyncResultKind.AlreadyRunning);
        }

        // Everything below stops the moment the lease is lost (a renewal found it taken): another run owns the index now.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        try
        {
            return await RunAsync(integration, full, stop.Token);
        }
        catch (Exception e) when (e is SyncLeaseLostException || (lease.IsLost && !cancellationToken.IsCancellationRequested))
        {
            // Nothing to record: the integration's sync state belongs to the run that holds the lease.
            LogLeaseLost(logger, integrationId, e.GetType().Name);
            return new SyncResult(SyncResultKind.LeaseLost);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var message = e is ProviderException p ? Describe(p) : "The sync failed unexpectedly";
            LogFailed(logger, integrationId, e.GetType().Name, message);
            await RecordFailureAsync(integrationId, message);
            return new SyncResult(SyncResultKind.Failed, Error: message);
        }
        catch (OperationCanceledException)
        {
            await RecordFailureAsync(integrationId, "The sync was interrupted");
            throw;
        }
        finally
        {
            await lease.ReleaseAsync();
            // The index (and, on success, the last sync) changed: the projects' cached metadata is stale everywhere.
            await filePages.InvalidateAsync(integrationId, CancellationToken.None);
            await projectReads.InvalidateIntegrationAsync(db, integrationId, CancellationToken.None);
            // The integration's sync state (succeeded or failed) is in its tenant's cached list.
            await integrationReads.ChangedAsync(integrationId, CancellationToken.None);
        }
    }

    private async Task<SyncResult> RunAsync(CloudIntegration integration, bool full, CancellationToken cancellationToken)
    {
        var integrationId = integration.Id;
        var owner = lease.Owner;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await db.Set<CloudIntegration>().Where(i => i.Id == integrationId && i.Sync.LeaseOwner == owner).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Sync.State, SyncStates.Running)
            .SetProperty(i => i.Sync.LastStartedAt, Now), cancellationToken);
        await integrationReads.ChangedAsync(integrationId, CancellationToken.None);
        var provider = await db.Set<CloudProvider>().AsNoTracking().FirstAsync(p => p.Id == integration.ProviderId, cancellationToken);
        var kind = ProviderRegistry.KindOf(provider);
        var source = sources.FirstOrDefault(s => s.Kind == kind)
            ?? throw new ProviderException(ProviderErrorKind.NotSupported, null, $"No file sync for provider '{provider.Slug}'");
        // Provider calls (token load, refresh, request counter) use their own scope and DbContext: a full sync fetches
        // the next page while this context writes the current one.
        await using var callerScope = scopes.CreateAsyncScope();
        var caller = new IntegrationCaller(callerScope.ServiceProvider.GetRequiredService<TokenService>(), integrationId);

        string mode;
        int changes;
        if (!full && integration.Sync.Cursor is { } cursor)
        {
            try
            {
                changes = await IncrementalAsync(integration, source, caller, cursor, cancellationToken);
                mode = "incremental";
            }
            catch (ProviderException e) when (e.Kind == ProviderErrorKind.CursorReset)
            {
                LogCursorReset(logger, integrationId, e.Status);
                changes = await FullAsync(integration, source, caller, cancellationToken);
                mode = "resync";
            }
        }
        else
        {
            changes = await FullAsync(integration, source, caller, cancellationToken);
            mode = "full";
        }

        // An incremental sync that changed nothing after a successful one leaves the count as it was: counting a
        // large index costs more than the rest of a no-op sync.
        var count = mode == "incremental" && changes == 0 && integration.Sync.State == SyncStates.Succeeded
            ? integration.Sync.FilesIndexed
            : await store.CountAsync(integration.TenantId, integrationId, cancellationToken);
        var now = Now;
        var wasFull = mode != "incremental";
        var recorded = await db.Set<CloudIntegration>().Where(i => i.Id == integrationId && i.Sync.LeaseOwner == owner).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Sync.State, SyncStates.Succeeded)
            .SetProperty(i => i.Sync.LastSyncAt, now)
            .SetProperty(i => i.Sync.LastFullSyncAt, i => wasFull ? now : i.Sync.LastFullSyncAt)
            .SetProperty(i => i.Sync.LastError, (string?)null)
            .SetProperty(i => i.Sync.ConsecutiveFailures, 0)
            .SetProperty(i => i.Sync.FilesIndexed, count), cancellationToken);
        if (recorded != 1)
        {
            throw new SyncLeaseLostException();
        }

        LogSynced(logger, integrationId, mode, changes, count, clock.ElapsedMilliseconds);
        MwapMetrics.RecordSync(kind, mode, clock.Elapsed, changes);
        return new SyncResult(SyncResultKind.Completed, mode, changes, count);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private async Task<int> FullAsync(CloudIntegration integration, IFileSyncSource source, IProviderCaller caller, CancellationToken cancellationToken)
    {
        // A new generation per full sync: rows it does not touch are stale when it completes. A killed full sync
        // leaves rows of a generation that the next full sync supersedes, so the index converges either way.
        var owner = lease.Owner;
        if (await db.Set<CloudIntegration>().Where(i => i.Id == integration.Id && i.Sync.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Sync.Generation, i => i.Sync.Generation + 1), cancellationToken) != 1)
        {
            throw new SyncLeaseLostException();
        }

        var generation = await db.Set<CloudIntegration>().Where(i => i.Id == integration.Id).Select(i => i.Sync.Generation).FirstAsync(cancellationToken);
        var run = new SyncRun(integration.TenantId, integration.Id, generation, Full: true, integration.Sync.RootId);
        var applied = 0;
        await foreach (var page in PageReadAhead.ReadAheadAsync(ct => source.FullAsync(caller, options.Value.SyncPageSize, ct), cancellationToken))
        {
            await using var transaction = await BeginPageAsync(cancellationToken);
            await lease.ConfirmAsync(run.IntegrationId, generation, cancellationToken);
            applied += await applier.ApplyAsync(run, page.Changes, cancellationToken);
            if (page.Done)
            {
                // Whatever still has no parent is outside the account's tree (shared items, items in the trash).
                run.Pending.Clear();
                await store.RemoveStaleAsync(run.TenantId, run.IntegrationId, generation, cancellationToken);
                await SaveCursorAsync(run, page.Cursor, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            await filePages.InvalidateAsync(run.IntegrationId, CancellationToken.None);
        }

        if (applied >= AnalyzeAfterRows && !db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE virtual_files", cancellationToken);
        }

        return applied;
    }

    private async Task<int> IncrementalAsync(CloudIntegration integration, IFileSyncSource source, IProviderCaller caller, string cursor, CancellationToken cancellationToken)
    {
        var run = new SyncRun(integration.TenantId, integration.Id, integration.Sync.Generation, Full: false, integration.Sync.RootId);
        var applied = 0;
        await foreach (var page in source.ChangesAsync(caller, cursor, options.Value.SyncPageSize, cancellationToken))
        {
            await using var transaction = await BeginPageAsync(cancellationToken);
            await lease.ConfirmAsync(run.IntegrationId, generation: null, cancellationToken);
            applied += await applier.ApplyAsync(run, page.Changes, cancellationToken);
            if (page.Done)
            {
                // Items whose parent never appeared have left the account's tree.
                foreach (var orphan in run.Pending)
                {
                    await store.RemoveSubtreeAsync(run.TenantId, run.IntegrationId, orphan.Id, null, cancellationToken);
                }

                run.Pending.Clear();
            }

            // The cursor moves with the rows it covers; while items wait for their parents it stays behind them, so a
            // sync killed now re-reads those pages instead of losing the waiting items.
            if (run.Pending.Count == 0)
            {
                await SaveCursorAsync(run, page.Cursor, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            await filePages.InvalidateAsync(run.IntegrationId, CancellationToken.None);
        }

        return applied;
    }


    private Task<int> SaveCursorAsync(SyncRun run, string? cursor, CancellationToken cancellationToken)
    {
        var rootId = run.RootId;
        return db.Set<CloudIntegration>().Where(i => i.Id == run.IntegrationId).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Sync.Cursor, cursor)
            .SetProperty(i => i.Sync.RootId, rootId), cancellationToken);
    }


    /// <summary>
    /// A page's transaction. On PostgreSQL its commit does not wait for the WAL flush (<c>synchronous_commit = off</c>,
    /// this transaction only): a crash can lose the last pages written, but each page carries its own cursor, so the
    /// index stays consistent with the cursor stored and the next sync re-reads what was lost.
    /// </summary>
    private async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginPageAsync(CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("SET LOCAL synchronous_commit TO OFF", cancellationToken);
        }

        return transaction;
    }


    private async Task RecordFailureAsync(string integrationId, string message)
    {
        try
        {
            db.ChangeTracker.Clear();
            var owner = lease.Owner;
            await db.Set<CloudIntegration>().Where(i => i.Id == integrationId && i.Sync.LeaseOwner == owner).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Sync.State, SyncStates.Failed)
                .SetProperty(i => i.Sync.LastError, message)
                .SetProperty(i => i.Sync.ConsecutiveFailures, i => i.Sync.ConsecutiveFailures + 1), CancellationToken.None);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            LogFailed(logger, integrationId, e.GetType().Name, "could not record the sync failure");
        }
    }

    private static string Describe(ProviderException e) => e.Kind switch
    {
        ProviderErrorKind.InvalidGrant or ProviderErrorKind.InvalidClient => "The connection needs to be re-authorised",
        ProviderErrorKind.Unauthorized => "The provider rejected the integration's credentials",
        ProviderErrorKind.Forbidden => "The provider refused access",
        ProviderErrorKind.RateLimited => "The provider kept rate limiting the sync",
        ProviderErrorKind.Unavailable => "The provider was unavailable",
        _ => e.Message,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "File sync of integration {IntegrationId}: {Mode}, {Changes} changes, {Files} files indexed, {ElapsedMs} ms")]
    private static partial void LogSynced(ILogger logger, string integrationId, string mode, int changes, long files, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File sync of integration {IntegrationId}: the provider reset the change cursor (status {Status}); resyncing fully")]
    private static partial void LogCursorReset(ILogger logger, string integrationId, int? status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File sync of integration {IntegrationId} stopped: its lease is no longer this run's ({Cause}); nothing more was written")]
    private static partial void LogLeaseLost(ILogger logger, string integrationId, string cause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File sync of integration {IntegrationId} failed ({ErrorType}): {Error}")]
    private static partial void LogFailed(ILogger logger, string integrationId, string errorType, string error);

}
