using Hangfire;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Files.Sync;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Webhooks;

/// <summary>
/// Turns a change notification into a queued incremental sync, coalesced: while a sync of the integration is queued
/// (state <c>queued</c>) another notification queues nothing. A notification that arrives while a sync runs queues
/// one follow-up, which waits for the running one (the sync lease) instead of being dropped, so a change made during
/// a sync is never missed. A flood therefore costs at most one running and one queued sync per integration.
/// </summary>
internal sealed class WebhookSyncTrigger(MwapDbContext db, IBackgroundJobClient jobs)
{
    /// <summary>Queues a sync of each active integration given; returns how many were queued (the rest already were).</summary>
    public async Task<int> RequestAsync(IReadOnlyCollection<string> integrationIds, CancellationToken cancellationToken)
    {
        var queued = 0;
        foreach (var id in integrationIds)
        {
            // The conditional update is the coalescing point: of concurrent notifications only one sees a row to change.
            var claimed = await db.Set<CloudIntegration>()
                .Where(i => i.Id == id && (i.Status == IntegrationStatus.Active || i.Status == IntegrationStatus.Error)
                    && i.EncryptedAccessToken != null && i.Sync.State != SyncStates.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Sync.State, SyncStates.Queued), cancellationToken);
            if (claimed == 1)
            {
                jobs.Enqueue<WebhookSyncJob>(job => job.RunAsync(id, CancellationToken.None));
                queued++;
            }
        }

        return queued;
    }
}

/// <summary>The queued sync: incremental, and waiting for a sync that is still running rather than skipping.</summary>
internal sealed class WebhookSyncJob(IServiceScopeFactory scopes, TimeProvider time)
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan WaitStep = TimeSpan.FromMilliseconds(200);

    public async Task RunAsync(string integrationId, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + MaxWait;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<FileSyncService>().SyncAsync(integrationId, full: false, cancellationToken);
            if (result.Kind != SyncResultKind.AlreadyRunning || time.GetUtcNow() > deadline)
            {
                return;
            }

            await Task.Delay(WaitStep, time, cancellationToken);
        }
    }
}
