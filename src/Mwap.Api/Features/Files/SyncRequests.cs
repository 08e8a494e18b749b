using Hangfire;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Files.Sync;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Files;

/// <summary>Why a sync is asked for: a webhook's change may arrive after a running sync read past it.</summary>
internal enum SyncRequestReason
{
    /// <summary>A tenant owner's <c>POST …/sync</c>: a sync that is queued or already running serves it.</summary>
    Owner,

    /// <summary>A provider's change notification: only a sync that has not started yet is sure to see the change.</summary>
    Webhook,
}

/// <summary>The job that will serve a request, and whether it was already there.</summary>
internal sealed record SyncRequestResult(string JobId, bool Full, bool Coalesced);

internal sealed record SyncRequestResponse(string IntegrationId, string JobId, bool Full, bool Coalesced, IntegrationSyncResponse SyncStatus);

/// <summary>
/// Queues syncs of one integration, coalescing requests: while a sync of the integration is queued (or, for an owner's
/// request, running) the request gets that job instead of a new one, so back-to-back requests cannot keep a worker busy.
/// The integration row records the job (<c>sync_job_id</c>); a compare-and-set on it lets exactly one of many
/// simultaneous requests enqueue.
/// </summary>
internal sealed class SyncRequests(MwapDbContext db, IBackgroundJobClient jobs, JobStorage storage, IntegrationReadCache integrationReads, TimeProvider time)
{
    private const string ClaimPrefix = "claim:";
    private static readonly TimeSpan ClaimLifetime = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ClaimPoll = TimeSpan.FromMilliseconds(20);

    /// <summary><c>POST /tenants/{t}/integrations/{i}/sync</c>: the integration must be the tenant's and connected.</summary>
    public async Task<SyncRequestResponse> RequestAsync(string tenantId, string integrationId, bool full, CancellationToken cancellationToken)
    {
        var integration = await db.Set<CloudIntegration>().AsNoTracking()
            .FirstOrDefaultAsync(i => i.Id == integrationId && i.TenantId == tenantId, cancellationToken)
            ?? throw new NotFoundException("cloud-integration/not-found", "Cloud provider integration not found");
        if (integration.Status is not (IntegrationStatus.Active or IntegrationStatus.Error) || integration.EncryptedAccessToken is null)
        {
            throw new ConflictException("cloud-integration/not-active", "Only an active integration can be synced; reconnect it first");
        }

        var result = await RequestAsync(integrationId, SyncRequestReason.Owner, full, cancellationToken);
        var sync = await db.Set<CloudIntegration>().AsNoTracking().Where(i => i.Id == integrationId).Select(i => i.Sync).FirstAsync(cancellationToken);
        return new SyncRequestResponse(integrationId, result.JobId, result.Full, result.Coalesced, IntegrationSyncResponse.From(sync));
    }

    /// <summary>
    /// Asks for a sync of <paramref name="integrationId"/> (the caller has checked it may). A full request is served
    /// only by a full sync; an incremental one by either.
    /// </summary>
    public async Task<SyncRequestResult> RequestAsync(string integrationId, SyncRequestReason reason, bool full, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + ClaimLifetime + ClaimLifetime;
        while (true)
        {
            var current = await db.Set<CloudIntegration>().AsNoTracking().Where(i => i.Id == integrationId)
                .Select(i => new { i.Sync.JobId, i.Sync.State }).FirstOrDefaultAsync(cancellationToken);
            var existing = current?.JobId;
            if (existing is not null && existing.StartsWith(ClaimPrefix, StringComparison.Ordinal) && !ClaimExpired(existing))
            {
                // Another request is enqueuing right now: wait for its job id rather than enqueuing a second job.
                if (time.GetUtcNow() > deadline)
                {
                    throw new ServiceUnavailableException("sync/busy", "Another sync request is being queued; try again shortly");
                }

                await Task.Delay(ClaimPoll, time, cancellationToken);
                continue;
            }

            if (existing is not null && !existing.StartsWith(ClaimPrefix, StringComparison.Ordinal) && Serves(existing, reason, full) is { } served)
            {
                return new SyncRequestResult(existing, served, Coalesced: true);
            }

            var claim = $"{ClaimPrefix}{time.GetUtcNow().UtcTicks}:{Guid.NewGuid():N}";
            // "queued" is shown from the claim on: once enqueued, a worker may run (and finish) the job before this
            // request records its id, and the state it leaves must not be overwritten by a late "queued".
            var claimed = await db.Set<CloudIntegration>().Where(i => i.Id == integrationId && i.Sync.JobId == existing)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(i => i.Sync.JobId, claim)
                    .SetProperty(i => i.Sync.State, i => i.Sync.State == SyncStates.Running ? SyncStates.Running : SyncStates.Queued), cancellationToken);
            if (claimed != 1)
            {
                continue; // someone else changed it between our read and the claim: look again
            }

            string jobId;
            try
            {
                jobId = jobs.Enqueue<FileSyncJob>(job => job.SyncIntegrationAsync(integrationId, full, CancellationToken.None));
            }
            catch
            {
                var previous = current?.State ?? SyncStates.Never;
                await db.Set<CloudIntegration>().Where(i => i.Id == integrationId && i.Sync.JobId == claim)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(i => i.Sync.JobId, (string?)null)
                        .SetProperty(i => i.Sync.State, i => i.Sync.State == SyncStates.Queued ? previous : i.Sync.State), CancellationToken.None);
                await integrationReads.ChangedAsync(integrationId, CancellationToken.None);
                throw;
            }

            await db.Set<CloudIntegration>().Where(i => i.Id == integrationId && i.Sync.JobId == claim)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Sync.JobId, jobId), CancellationToken.None);
            await integrationReads.ChangedAsync(integrationId, CancellationToken.None);
            return new SyncRequestResult(jobId, full, Coalesced: false);
        }
    }

    private bool ClaimExpired(string claim)
    {
        var ticksText = claim.AsSpan(ClaimPrefix.Length);
        var colon = ticksText.IndexOf(':');
        return colon <= 0 || !long.TryParse(ticksText[..colon], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
            || time.GetUtcNow().UtcTicks - ticks > ClaimLifetime.Ticks;
    }

    /// <summary>Whether the job can serve this request: the full flag it runs with, or null when a new job is needed.</summary>
    private bool? Serves(string jobId, SyncRequestReason reason, bool full)
    {
        using var connection = storage.GetConnection();
        var data = connection.GetJobData(jobId);
        var waiting = data?.State is "Enqueued" or "Scheduled" or "Awaiting";
        var running = data?.State is "Processing";
        if (!waiting && !(running && reason == SyncRequestReason.Owner))
        {
            return null;
        }

        var jobFull = data?.Job?.Args is [_, bool f, ..] && f;
        return !full || jobFull ? jobFull : null;
    }
}
