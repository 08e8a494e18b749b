using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Integrations.Tokens;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Files.Sync;

/// <summary>
/// The recurring incremental sync of every active integration (bounded concurrency), and the one-integration job that
/// connect and <c>POST …/sync</c> enqueue. The sync lease makes both safe to overlap across instances.
/// </summary>
internal sealed partial class FileSyncJob(IServiceScopeFactory scopes, MwapDbContext db, IOptions<IntegrationJobsOptions> options, TimeProvider time,
    ILogger<FileSyncJob> logger)
{
    public const string RecurringJobId = "file-sync";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var ids = await db.Set<CloudIntegration>().AsNoTracking()
            .Where(i => (i.Status == IntegrationStatus.Active || i.Status == IntegrationStatus.Error) && i.EncryptedAccessToken != null)
            .OrderBy(i => i.Sync.LastSyncAt)
            .Select(i => i.Id).ToListAsync(cancellationToken);
        var completed = 0;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = options.Value.SyncConcurrency, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                await using var scope = scopes.CreateAsyncScope();
                try
                {
                    var result = await scope.ServiceProvider.GetRequiredService<FileSyncService>().SyncAsync(id, full: false, ct);
                    if (result.Kind == SyncResultKind.Completed)
                    {
                        Interlocked.Increment(ref completed);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One integration's failure must not stop the others.
                    LogSyncFailed(logger, id, e.GetType().Name);
                }
            });
        LogRun(logger, ids.Count, completed);
        return completed;
    }

    /// <summary>One integration now: the initial full sync after connect, or a sync a tenant owner asked for.</summary>
    public async Task SyncIntegrationAsync(string integrationId, bool full, CancellationToken cancellationToken)
    {
        // A requested sync that finds another still running waits for it instead of being skipped: it was queued for a
        // change (a webhook, an owner's request) that the running sync may already have read past.
        var deadline = time.GetUtcNow() + QueuedSyncMaxWait;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<FileSyncService>().SyncAsync(integrationId, full, cancellationToken);
            if (result.Kind != SyncResultKind.AlreadyRunning || time.GetUtcNow() > deadline)
            {
                return;
            }

            await Task.Delay(QueuedSyncWaitStep, time, cancellationToken);
        }
    }

    private static readonly TimeSpan QueuedSyncMaxWait = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan QueuedSyncWaitStep = TimeSpan.FromMilliseconds(200);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File sync of integration {IntegrationId} failed: {ErrorType}")]
    private static partial void LogSyncFailed(ILogger logger, string integrationId, string errorType);

    [LoggerMessage(Level = LogLevel.Information, Message = "File sync job: {Count} integrations, {Completed} synced")]
    private static partial void LogRun(ILogger logger, int count, int completed);
}
