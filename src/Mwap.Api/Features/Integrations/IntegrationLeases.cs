using Microsoft.EntityFrameworkCore;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Integrations;

/// <summary>The two kinds of exclusive work on an integration, each with its own lease columns.</summary>
internal enum IntegrationLeaseKind
{
    /// <summary>A file sync (<c>sync_lease_*</c>).</summary>
    FileSync,

    /// <summary>A token refresh (<c>refresh_lease_*</c>).</summary>
    TokenRefresh,
}

/// <summary>
/// The one database lease of the platform: at most one holder per integration and kind, across requests, jobs and
/// instances. It is taken with a conditional update, renewed on a timer at a quarter of its length (so a provider call
/// longer than the lease cannot let it lapse), and <see cref="IntegrationLease.Lost"/> fires the moment a renewal
/// finds it taken by someone else, so the holder stops at once instead of working on without it.
/// </summary>
internal sealed partial class IntegrationLeases(IServiceScopeFactory scopes, TimeProvider time, ILogger<IntegrationLeases> logger)
{
    /// <summary>Takes the lease, or returns null while someone else holds it.</summary>
    public async Task<IntegrationLease?> TryTakeAsync(string integrationId, IntegrationLeaseKind kind, TimeSpan length, CancellationToken cancellationToken)
    {
        var owner = NewOwner();
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + length;
        var taken = await WithDbAsync(db => kind == IntegrationLeaseKind.FileSync
            ? Rows(db, integrationId).Where(i => i.Sync.LeaseUntil == null || i.Sync.LeaseUntil < now)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Sync.LeaseUntil, until).SetProperty(i => i.Sync.LeaseOwner, owner), cancellationToken)
            : Rows(db, integrationId).Where(i => i.RefreshLeaseUntil == null || i.RefreshLeaseUntil < now)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.RefreshLeaseUntil, until).SetProperty(i => i.RefreshLeaseOwner, owner), cancellationToken));
        return taken == 1 ? new IntegrationLease(this, integrationId, kind, owner, length, until, time) : null;
    }

    /// <summary>Extends a held lease; false when it is no longer this owner's.</summary>
    internal async Task<bool> RenewAsync(IntegrationLease lease, DateTime until, CancellationToken cancellationToken)
    {
        var (id, owner) = (lease.IntegrationId, lease.Owner);
        var renewed = await WithDbAsync(db => lease.Kind == IntegrationLeaseKind.FileSync
            ? Rows(db, id).Where(i => i.Sync.LeaseOwner == owner).ExecuteUpdateAsync(s => s.SetProperty(i => i.Sync.LeaseUntil, until), cancellationToken)
            : Rows(db, id).Where(i => i.RefreshLeaseOwner == owner).ExecuteUpdateAsync(s => s.SetProperty(i => i.RefreshLeaseUntil, until), cancellationToken));
        return renewed == 1;
    }

    internal Task<int> ReleaseAsync(IntegrationLease lease)
    {
        var (id, owner) = (lease.IntegrationId, lease.Owner);
        return WithDbAsync(db => lease.Kind == IntegrationLeaseKind.FileSync
            ? Rows(db, id).Where(i => i.Sync.LeaseOwner == owner)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Sync.LeaseUntil, (DateTime?)null).SetProperty(i => i.Sync.LeaseOwner, (string?)null), CancellationToken.None)
            : Rows(db, id).Where(i => i.RefreshLeaseOwner == owner)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.RefreshLeaseUntil, (DateTime?)null).SetProperty(i => i.RefreshLeaseOwner, (string?)null), CancellationToken.None));
    }

    internal void ReportLost(IntegrationLease lease, string reason) => LogLost(logger, lease.Kind.ToString(), lease.IntegrationId, reason);

    // Unique per holder; the machine name only helps an operator read a stuck lease.
    private static string NewOwner()
    {
        var owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        return owner.Length <= 100 ? owner : owner[^100..];
    }

    private static IQueryable<CloudIntegration> Rows(MwapDbContext db, string integrationId) =>
        db.Set<CloudIntegration>().Where(i => i.Id == integrationId);

    // Its own context: the holder's context may be inside a transaction, or busy with a query, when the timer fires.
    private async Task<int> WithDbAsync(Func<MwapDbContext, Task<int>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<MwapDbContext>());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} lease of integration {IntegrationId} lost ({Reason}); the work under it stops")]
    private static partial void LogLost(ILogger logger, string kind, string integrationId, string reason);
}

/// <summary>A held lease. Dispose it to stop the renewals and give it back.</summary>
internal sealed class IntegrationLease : IAsyncDisposable
{
    private readonly IntegrationLeases _leases;
    private readonly TimeSpan _length;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly PeriodicTimer _ticks;
    private readonly Task _renewals;
    private DateTime _heldUntil;

    internal IntegrationLease(IntegrationLeases leases, string integrationId, IntegrationLeaseKind kind, string owner, TimeSpan length, DateTime until, TimeProvider time)
    {
        _leases = leases;
        IntegrationId = integrationId;
        Kind = kind;
        Owner = owner;
        _length = length;
        _heldUntil = until;
        _time = time;

        // The timer starts now, with the lease, not when the loop first runs: renewals keep their schedule on a busy
        // thread pool, and a tick that comes while a renewal is still running is kept and served straight after it.
        _ticks = new PeriodicTimer(RenewEvery, time);
        _renewals = Task.Run(RenewLoopAsync);
    }

    public string IntegrationId { get; }

    public IntegrationLeaseKind Kind { get; }

    public string Owner { get; }

    /// <summary>Cancelled when the lease is no longer certainly ours: whatever runs under it must stop.</summary>
    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>How often the lease is renewed: well inside its length, so one missed renewal does not lose it.</summary>
    public TimeSpan RenewEvery => _length / 4;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewals;
        _ticks.Dispose();
        if (!IsLost)
        {
            await _leases.ReleaseAsync(this);
        }

        _stop.Dispose();
        _lost.Dispose();
    }

    private async Task RenewLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (!await _ticks.WaitForNextTickAsync(_stop.Token))
                {
                    return;
                }

                var until = _time.GetUtcNow().UtcDateTime + _length;
                if (!await _leases.RenewAsync(this, until, _stop.Token))
                {
                    await LoseAsync("taken over or released by someone else");
                    return;
                }

                _heldUntil = until;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database did not answer. Retry at the next tick while the lease certainly still runs; once the
                // next tick would come after it lapses, someone else may take it: stop now.
                if (_time.GetUtcNow().UtcDateTime + RenewEvery >= _heldUntil)
                {
                    await LoseAsync("renewal failed: " + e.GetType().Name);
                    return;
                }
            }
        }
    }

    private async Task LoseAsync(string reason)
    {
        _leases.ReportLost(this, reason);
        await _lost.CancelAsync();
    }
}
