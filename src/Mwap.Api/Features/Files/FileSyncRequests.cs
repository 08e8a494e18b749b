using Hangfire;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Files.Sync;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Files;

internal sealed record SyncRequestResponse(string IntegrationId, string JobId, bool Full, IntegrationSyncResponse SyncStatus);

/// <summary><c>POST /tenants/{t}/integrations/{i}/sync</c>: queues a sync of one integration now.</summary>
internal sealed class FileSyncRequests(MwapDbContext db, IBackgroundJobClient jobs)
{
    public async Task<SyncRequestResponse> RequestAsync(string tenantId, string integrationId, bool full, CancellationToken cancellationToken)
    {
        var integration = await db.Set<CloudIntegration>().AsNoTracking()
            .FirstOrDefaultAsync(i => i.Id == integrationId && i.TenantId == tenantId, cancellationToken)
            ?? throw new NotFoundException("cloud-integration/not-found", "Cloud provider integration not found");
        if (integration.Status is not (IntegrationStatus.Active or IntegrationStatus.Error) || integration.EncryptedAccessToken is null)
        {
            throw new ConflictException("cloud-integration/not-active", "Only an active integration can be synced; reconnect it first");
        }

        var jobId = jobs.Enqueue<FileSyncJob>(job => job.SyncIntegrationAsync(integrationId, full, CancellationToken.None));
        if (integration.Sync.State != SyncStates.Running)
        {
            await db.Set<CloudIntegration>().Where(i => i.Id == integrationId && i.Sync.State != SyncStates.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Sync.State, SyncStates.Queued), cancellationToken);
            integration.Sync.State = SyncStates.Queued;
        }

        return new SyncRequestResponse(integrationId, jobId, full, IntegrationSyncResponse.From(integration.Sync));
    }
}
