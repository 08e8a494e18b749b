using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Files.Sync;

/// <summary>
/// One sync per integration at a time, across instances, through the shared <see cref="IntegrationLeases"/> (renewed on
/// a timer, so a provider call longer than the lease cannot let it lapse). Each page's transaction also confirms, under
/// the integration row's lock, that the lease and the run's generation are still this run's, so a run that lost its
/// lease writes and deletes nothing more.
/// </summary>
internal sealed class SyncLease(IntegrationLeases leases, MwapDbContext db)
{
    /// <summary>The lease's length; it is renewed every quarter of it.</summary>
    public static readonly TimeSpan Length = TimeSpan.FromMinutes(2);

    private IntegrationLease? _lease;

    /// <summary>Cancelled the moment a renewal finds the lease gone.</summary>
    public CancellationToken Lost => _lease?.Lost ?? CancellationToken.None;

    public bool IsLost => _lease?.IsLost == true;

    public string Owner => _lease?.Owner ?? throw new InvalidOperationException("The sync lease is not held");

    public async Task<bool> TryTakeAsync(string integrationId, CancellationToken cancellationToken)
    {
        _lease = await leases.TryTakeAsync(integrationId, IntegrationLeaseKind.FileSync, Length, cancellationToken);
        return _lease is not null;
    }

    /// <summary>
    /// Inside a page's transaction: the lease is still ours and (for a full sync) no other full sync has started a newer
    /// generation. The update locks the integration's row until the page commits, so neither can change before then.
    /// </summary>
    public async Task ConfirmAsync(string integrationId, long? generation, CancellationToken cancellationToken)
    {
        var owner = Owner;
        var rows = db.Set<CloudIntegration>().Where(i => i.Id == integrationId && i.Sync.LeaseOwner == owner);
        if (generation is { } g)
        {
            rows = rows.Where(i => i.Sync.Generation == g);
        }

        if (await rows.ExecuteUpdateAsync(s => s.SetProperty(i => i.Sync.LeaseOwner, owner), cancellationToken) != 1)
        {
            throw new SyncLeaseLostException();
        }
    }

    public async ValueTask ReleaseAsync()
    {
        if (_lease is not null)
        {
            await _lease.DisposeAsync();
            _lease = null;
        }
    }
}

/// <summary>The sync's lease (or its generation) is no longer this run's: it stops without writing anything more.</summary>
internal sealed class SyncLeaseLostException() : Exception("The sync lease is no longer held by this run");
