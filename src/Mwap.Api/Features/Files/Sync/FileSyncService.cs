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
/// integration at a time, across instances, through a lease taken with a conditional update.
/// </summary>
internal sealed partial class FileSyncService(
    MwapDbContext db, FileIndexStore store, IServiceScopeFactory scopes, IEnumerable<IFileSyncSource> sources,
    IOptions<IntegrationJobsOptions> options, TimeProvider time, ILogger<FileSyncService> logger, Projects.ProjectReadCache projectReads)
{
    /// <summary>A full sync this large refreshes PostgreSQL's statistics: a planner that still sees the index empty picks the wrong index.</summary>
    private const int AnalyzeAfterRows = 10_000;

    private static readonly TimeSpan LeaseLength = TimeSpan.FromMinutes(2);
    private const int FolderCacheLimit = 200_000;
    private readonly string _owner = $"{Environment.ProcessId}:{Guid.NewGuid():N}";
    private DateTime _leaseRenewedAt;

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

        if (!await TryTakeLeaseAsync(integrationId, cancellationToken))
        {
            return new SyncResult(SyncResultKind.AlreadyRunning);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await db.Set<CloudIntegration>().Where(i => i.Id == integrationId).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Sync.State, SyncStates.Running)
                .SetProperty(i => i.Sync.LastStartedAt, Now), cancellationToken);
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
            await db.Set<CloudIntegration>().Where(i => i.Id == integrationId).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Sync.State, SyncStates.Succeeded)
                .SetProperty(i => i.Sync.LastSyncAt, now)
                .SetProperty(i => i.Sync.LastFullSyncAt, i => wasFull ? now : i.Sync.LastFullSyncAt)
                .SetProperty(i => i.Sync.LastError, (string?)null)
                .SetProperty(i => i.Sync.ConsecutiveFailures, 0)
                .SetProperty(i => i.Sync.FilesIndexed, count), cancellationToken);
            LogSynced(logger, integrationId, mode, changes, count, clock.ElapsedMilliseconds);
            MwapMetrics.RecordSync(kind, mode, clock.Elapsed, changes);
            return new SyncResult(SyncResultKind.Completed, mode, changes, count);
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
            await db.Set<CloudIntegration>().Where(i => i.Id == integrationId && i.Sync.LeaseOwner == _owner)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Sync.LeaseUntil, (DateTime?)null).SetProperty(i => i.Sync.LeaseOwner, (string?)null), CancellationToken.None);
            // The index (and, on success, the last sync) changed: the projects' cached metadata is stale everywhere.
            await projectReads.InvalidateIntegrationAsync(db, integrationId, CancellationToken.None);
        }
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private async Task<int> FullAsync(CloudIntegration integration, IFileSyncSource source, IProviderCaller caller, CancellationToken cancellationToken)
    {
        // A new generation per full sync: rows it does not touch are stale when it completes. A killed full sync
        // leaves rows of a generation that the next full sync supersedes, so the index converges either way.
        await db.Set<CloudIntegration>().Where(i => i.Id == integration.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Sync.Generation, i => i.Sync.Generation + 1), cancellationToken);
        var generation = await db.Set<CloudIntegration>().Where(i => i.Id == integration.Id).Select(i => i.Sync.Generation).FirstAsync(cancellationToken);
        var run = new SyncRun(integration.TenantId, integration.Id, generation, Full: true, integration.Sync.RootId);
        var applied = 0;
        await foreach (var page in ReadAheadAsync(ct => source.FullAsync(caller, options.Value.SyncPageSize, ct), cancellationToken))
        {
            await using var transaction = await BeginPageAsync(cancellationToken);
            applied += await ApplyAsync(run, page.Changes, cancellationToken);
            if (page.Done)
            {
                // Whatever still has no parent is outside the account's tree (shared items, items in the trash).
                run.Pending.Clear();
                await store.RemoveStaleAsync(run.TenantId, run.IntegrationId, generation, cancellationToken);
                await SaveCursorAsync(run, page.Cursor, cancellationToken);
            }

            await RenewLeaseAsync(integration.Id, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (applied >= AnalyzeAfterRows && !db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE virtual_files", cancellationToken);
        }

        return applied;
    }

    /// <summary>
    /// Enumerates <paramref name="pages"/> one page ahead: the next page's request is in flight while the caller
    /// writes the current one. Errors surface in order, when the page that failed is reached; leaving early cancels
    /// and awaits the request in flight.
    /// </summary>
    private static async IAsyncEnumerable<ChangePage> ReadAheadAsync(Func<CancellationToken, IAsyncEnumerable<ChangePage>> pages,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var enumerator = pages(stop.Token).GetAsyncEnumerator(stop.Token);
        var next = enumerator.MoveNextAsync().AsTask();
        try
        {
            while (await next)
            {
                var page = enumerator.Current;
                next = enumerator.MoveNextAsync().AsTask();
                yield return page;
            }
        }
        finally
        {
            if (!next.IsCompleted)
            {
                await stop.CancelAsync();
            }

            try
            {
                await next;
            }
            catch (Exception) when (stop.IsCancellationRequested || next.IsFaulted)
            {
                // Already surfaced, or cancelled because the consumer left early.
            }

            await enumerator.DisposeAsync();
        }
    }

    private async Task<int> IncrementalAsync(CloudIntegration integration, IFileSyncSource source, IProviderCaller caller, string cursor, CancellationToken cancellationToken)
    {
        var run = new SyncRun(integration.TenantId, integration.Id, integration.Sync.Generation, Full: false, integration.Sync.RootId);
        var applied = 0;
        await foreach (var page in source.ChangesAsync(caller, cursor, options.Value.SyncPageSize, cancellationToken))
        {
            await using var transaction = await BeginPageAsync(cancellationToken);
            applied += await ApplyAsync(run, page.Changes, cancellationToken);
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

            await RenewLeaseAsync(integration.Id, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return applied;
    }

    /// <summary>Applies one page in order. Returns the number of changes applied.</summary>
    private async Task<int> ApplyAsync(SyncRun run, IReadOnlyList<RemoteChange> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes.OfType<RemoteChange.Root>())
        {
            run.RootId = change.Id;
        }

        // What the index already holds for the items and their parents (the folder cache answers most parents).
        var lookups = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            switch (change)
            {
                case RemoteChange.RemoveId remove:
                    lookups.Add(remove.Id);
                    break;
                case RemoteChange.Upsert { Item: var item }:
                    if (!run.Full && item.Path is null)
                    {
                        lookups.Add(item.Id);
                    }

                    if (item.ParentId is { } parent && parent != run.RootId && !run.Folders.ContainsKey(parent))
                    {
                        lookups.Add(parent);
                    }

                    break;
            }
        }

        var known = lookups.Count == 0 ? [] : await store.LookupAsync(run.TenantId, run.IntegrationId, lookups, cancellationToken);
        var batch = new Dictionary<string, IndexedRow>(StringComparer.Ordinal);
        var applied = 0;

        async Task FlushAsync()
        {
            if (batch.Count > 0)
            {
                await store.UpsertAsync(run.TenantId, run.IntegrationId, [.. batch.Values], run.Generation, cancellationToken);
                batch.Clear();
            }
        }

        foreach (var change in changes)
        {
            switch (change)
            {
                case RemoteChange.RemoveId(var id):
                    await FlushAsync();
                    var removedPath = known.TryGetValue(id, out var k) ? k.PathLower : run.Folders.TryGetValue(id, out var f) ? f.PathLower : null;
                    await store.RemoveSubtreeAsync(run.TenantId, run.IntegrationId, id, removedPath, cancellationToken);
                    known.Remove(id);
                    run.Folders.Remove(id);
                    run.Pending.RemoveAll(p => p.Id == id);
                    applied++;
                    break;
                case RemoteChange.RemovePath(var pathLower):
                    await FlushAsync();
                    await store.RemoveSubtreeAsync(run.TenantId, run.IntegrationId, null, pathLower.ToLowerInvariant(), cancellationToken);
                    applied++;
                    break;
                case RemoteChange.Upsert(var item):
                    var row = Place(run, item, known);
                    if (row is null)
                    {
                        run.Pending.RemoveAll(p => p.Id == item.Id);
                        run.Pending.Add(item);
                        continue;
                    }

                    if (!run.Full && item.Path is not null)
                    {
                        // Dropbox: an entry replaces whatever else was at its path.
                        await FlushAsync();
                        await store.RemoveOthersAtPathAsync(run.TenantId, run.IntegrationId, row.PathLower, item.Id, cancellationToken);
                    }

                    if (!run.Full && known.TryGetValue(item.Id, out var old) && old.IsFolder && old.PathLower != row.PathLower)
                    {
                        // A folder moved or was renamed: its descendants are not re-emitted, so rewrite their paths.
                        batch[item.Id] = row;
                        await FlushAsync();
                        await store.MoveSubtreeAsync(run.TenantId, run.IntegrationId, old.PathLower, row.Path, row.PathLower, cancellationToken);
                        Rebase(run, known, old.PathLower, row.Path, row.PathLower);
                    }
                    else
                    {
                        batch[item.Id] = row;
                    }

                    known[item.Id] = new KnownItem(row.Path, row.PathLower, row.IsFolder);
                    if (item.IsFolder)
                    {
                        if (run.Folders.Count >= FolderCacheLimit)
                        {
                            run.Folders.Clear();
                        }

                        run.Folders[item.Id] = new KnownItem(row.Path, row.PathLower, true);
                    }

                    applied++;
                    break;
            }
        }

        await FlushAsync();

        // Items that arrived before their parent: retry while that places some of them.
        while (run.Pending.Count > 0)
        {
            var waiting = run.Pending.ToList();
            var parents = waiting.Select(p => p.ParentId).OfType<string>().Where(p => !run.Folders.ContainsKey(p));
            var found = await store.LookupAsync(run.TenantId, run.IntegrationId, parents, cancellationToken);
            foreach (var (id, item) in found)
            {
                run.Folders[id] = item;
            }

            if (!waiting.Any(p => p.ParentId == run.RootId || (p.ParentId is { } parent && run.Folders.ContainsKey(parent))))
            {
                break;
            }

            run.Pending.Clear();
            applied += await ApplyAsync(run, [.. waiting.Select(p => new RemoteChange.Upsert(p))], cancellationToken);
        }

        return applied;
    }

    /// <summary>Resolves an item's path from its own path (Dropbox) or its parent's; null while the parent is unknown.</summary>
    private static IndexedRow? Place(SyncRun run, RemoteItem item, Dictionary<string, KnownItem> known)
    {
        string path;
        if (item.Path is not null)
        {
            path = item.Path;
        }
        else if (item.ParentId is null || item.ParentId == run.RootId)
        {
            if (item.ParentId is null && run.RootId is not null)
            {
                return null;
            }

            path = "/" + item.Name;
        }
        else if (run.Folders.TryGetValue(item.ParentId, out var folder) || (known.TryGetValue(item.ParentId, out folder) && folder.IsFolder))
        {
            path = folder.Path + "/" + item.Name;
        }
        else
        {
            return null;
        }

        var lower = path.ToLowerInvariant();
        var slash = lower.LastIndexOf('/');
        return new IndexedRow(item.Id, item.ParentId, item.Name, path, lower, slash <= 0 ? "" : lower[..slash], item.MimeType, item.IsFolder,
            item.Size, item.ModifiedTime, item.Checksum);
    }

    /// <summary>Moves cached paths under a moved folder to its new place.</summary>
    private static void Rebase(SyncRun run, Dictionary<string, KnownItem> known, string oldLower, string newPath, string newLower)
    {
        var prefix = oldLower + "/";
        foreach (var map in new[] { known, run.Folders })
        {
            foreach (var (id, item) in map.Where(e => e.Value.PathLower.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                var cut = oldLower.Length;
                map[id] = new KnownItem(newPath + item.Path[cut..], newLower + item.PathLower[cut..], item.IsFolder);
            }
        }
    }

    private Task<int> SaveCursorAsync(SyncRun run, string? cursor, CancellationToken cancellationToken)
    {
        var rootId = run.RootId;
        return db.Set<CloudIntegration>().Where(i => i.Id == run.IntegrationId).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Sync.Cursor, cursor)
            .SetProperty(i => i.Sync.RootId, rootId), cancellationToken);
    }

    private async Task<bool> TryTakeLeaseAsync(string integrationId, CancellationToken cancellationToken)
    {
        var now = Now;
        var until = now.Add(LeaseLength);
        _leaseRenewedAt = now;
        var taken = await db.Set<CloudIntegration>()
            .Where(i => i.Id == integrationId && (i.Sync.LeaseUntil == null || i.Sync.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Sync.LeaseUntil, until).SetProperty(i => i.Sync.LeaseOwner, _owner), cancellationToken);
        return taken == 1;
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

    /// <summary>Extends the lease, at most every quarter of its length (one UPDATE saved on most pages).</summary>
    private Task<int> RenewLeaseAsync(string integrationId, CancellationToken cancellationToken)
    {
        if (Now - _leaseRenewedAt < LeaseLength / 4)
        {
            return Task.FromResult(1);
        }

        _leaseRenewedAt = Now;
        var until = Now.Add(LeaseLength);
        return db.Set<CloudIntegration>().Where(i => i.Id == integrationId && i.Sync.LeaseOwner == _owner)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Sync.LeaseUntil, until), cancellationToken);
    }

    private async Task RecordFailureAsync(string integrationId, string message)
    {
        try
        {
            db.ChangeTracker.Clear();
            await db.Set<CloudIntegration>().Where(i => i.Id == integrationId).ExecuteUpdateAsync(s => s
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "File sync of integration {IntegrationId} failed ({ErrorType}): {Error}")]
    private static partial void LogFailed(ILogger logger, string integrationId, string errorType, string error);

    private sealed record SyncRun(string TenantId, string IntegrationId, long Generation, bool Full, string? InitialRootId)
    {
        public string? RootId { get; set; } = InitialRootId;
        public Dictionary<string, KnownItem> Folders { get; } = new(StringComparer.Ordinal);
        public List<RemoteItem> Pending { get; } = [];
    }
}
