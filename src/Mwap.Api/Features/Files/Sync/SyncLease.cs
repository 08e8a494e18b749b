using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Files.Sync;

/// <summary>
/// One sync per integration at a time, across instances: a lease on the integration's row, taken with a conditional
/// update and extended as pages are written.
/// </summary>
internal sealed class SyncLease(MwapDbContext db, TimeProvider time)
{
    private static readonly TimeSpan LeaseLength = TimeSpan.FromMinutes(2);
    private readonly string _owner = $"{Environment.ProcessId}:{Guid.NewGuid():N}";
    private DateTime _leaseRenewedAt;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<bool> TryTakeAsync(string integrationId, CancellationToken cancellationToken)
    {
        var now = Now;
        var until = now.Add(LeaseLength);
        _leaseRenewedAt = now;
        var taken = await db.Set<CloudIntegration>()
            .Where(i => i.Id == integrationId && (i.Sync.LeaseUntil == null || i.Sync.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Sync.LeaseUntil, until).SetProperty(i => i.Sync.LeaseOwner, _owner), cancellationToken);
        return taken == 1;
    }

    /// <summary>Extends the lease, at most every quarter of its length (one UPDATE saved on most pages).</summary>
    public Task<int> RenewAsync(string integrationId, CancellationToken cancellationToken)
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

    public Task<int> ReleaseAsync(string integrationId) =>
        db.Set<CloudIntegration>().Where(i => i.Id == integrationId && i.Sync.LeaseOwner == _owner)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Sync.LeaseUntil, (DateTime?)null).SetProperty(i => i.Sync.LeaseOwner, (string?)null), CancellationToken.None);
}
