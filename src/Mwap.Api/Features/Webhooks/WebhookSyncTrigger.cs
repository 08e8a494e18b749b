using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Files;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Webhooks;

/// <summary>
/// Turns a change notification into an incremental sync request through <see cref="SyncRequests"/>, the one place
/// that coalesces sync requests: a webhook request joins only a sync that has not started yet (a running one may
/// already have read past the change), so a flood costs at most one running and one queued sync per integration.
/// </summary>
internal sealed class WebhookSyncTrigger(MwapDbContext db, SyncRequests requests)
{
    /// <summary>Asks for a sync of each connected integration given; returns how many new jobs were queued (the rest joined one).</summary>
    public async Task<int> RequestAsync(IReadOnlyCollection<string> integrationIds, CancellationToken cancellationToken)
    {
        var connected = await db.Set<CloudIntegration>().AsNoTracking()
            .Where(i => integrationIds.Contains(i.Id) && (i.Status == IntegrationStatus.Active || i.Status == IntegrationStatus.Error)
                && i.EncryptedAccessToken != null)
            .Select(i => i.Id).ToListAsync(cancellationToken);
        var queued = 0;
        foreach (var id in connected)
        {
            var result = await requests.RequestAsync(id, SyncRequestReason.Webhook, full: false, cancellationToken);
            queued += result.Coalesced ? 0 : 1;
        }

        return queued;
    }
}
