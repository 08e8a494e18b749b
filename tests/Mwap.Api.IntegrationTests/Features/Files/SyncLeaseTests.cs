using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mwap.Api.Features.Files.Sync;
using Mwap.Api.Features.Integrations;
using Mwap.FakeProviders;
using static Mwap.Api.IntegrationTests.Features.Files.FileSyncHarness;

namespace Mwap.Api.IntegrationTests.Features.Files;

/// <summary>Issue 11 item 12: one lease helper for syncs and token refreshes, renewed on a timer, and lost loudly.</summary>
public sealed class SyncLeaseTests(FileSyncApiFactory factory) : IClassFixture<FileSyncApiFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SyncStalledPastItsLease_WhileASecondStarts_DeletesNoLiveRow_AndOnlyOneRunCommits()
    {
        var connection = await ConnectAsync(factory, FakeProvider.Dropbox);
        var dropbox = State(factory, FakeProvider.Dropbox);
        BuildTree(dropbox.Files);
        dropbox.Files.AddFiles(dropbox.Files.FindByPath("/Projects/Shoot1")!, 40, "more");
        const string nextPage = "/2/files/list_folder/continue";

        // Run A writes its first page, then its second page's request stalls at the provider.
        var holdA = dropbox.HoldNext(nextPage);
        var runA = SyncAsync(factory, connection.IntegrationId, full: true);
        await holdA.Reached.WaitAsync(Patience, TestContext.Current.CancellationToken);

        // A's lease lapses (as when a stall outlasts it with no renewal reaching the database), so run B takes it and
        // gets as far as its third page while A is still stalled.
        await factory.WithDbAsync(db => db.Set<CloudIntegration>().Where(i => i.Id == connection.IntegrationId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Sync.LeaseUntil, DateTime.UtcNow.AddMinutes(-1))));
        var holdB = dropbox.HoldNext(nextPage, skip: 1);
        var runB = SyncAsync(factory, connection.IntegrationId, full: true);
        await holdB.Reached.WaitAsync(Patience, TestContext.Current.CancellationToken);

        // A wakes up: it must not write its pages over B's (B's stale-row removal would then delete them).
        holdA.Release();
        var a = await runA.WaitAsync(Patience, TestContext.Current.CancellationToken);
        holdB.Release();
        var b = await runB.WaitAsync(Patience, TestContext.Current.CancellationToken);

        Assert.Equal(SyncResultKind.LeaseLost, a.Kind);
        Assert.True(b.Kind == SyncResultKind.Completed, $"run B: {b.Kind} {b.Error}");
        await AssertIndexMatchesAsync(factory, dropbox.Files, connection.IntegrationId);
        var sync = await SyncStateAsync(factory, connection.IntegrationId);
        Assert.Equal(SyncStates.Succeeded, sync.State);
        Assert.Null(sync.LeaseOwner);

        // And the index stays right on the next sync.
        await SyncOkAsync(factory, connection.IntegrationId);
        await AssertIndexMatchesAsync(factory, dropbox.Files, connection.IntegrationId);
    }

    [Theory]
    [InlineData("FileSync")]
    [InlineData("TokenRefresh")]
    public async Task Lease_IsRenewedOnATimer_SoItOutlivesItsLength_AndIsGivenBackOnDispose(string leaseKind)
    {
        var kind = Enum.Parse<IntegrationLeaseKind>(leaseKind);
        var connection = await ConnectAsync(factory, FakeProvider.Google);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var length = TimeSpan.FromSeconds(30);
        var lease = await Leases(clock).TryTakeAsync(connection.IntegrationId, kind, length, CancellationToken.None);
        Assert.NotNull(lease);

        // Four lease lengths pass, as during a provider call that takes that long: the lease never runs low.
        for (var elapsed = TimeSpan.Zero; elapsed < length * 4; elapsed += TimeSpan.FromSeconds(2))
        {
            clock.Advance(TimeSpan.FromSeconds(2));
            var floor = clock.GetUtcNow().UtcDateTime + length / 2;
            await WaitForAsync(async () => await LeaseUntilAsync(connection.IntegrationId, kind) > floor, $"lease held beyond {floor:O}");
        }

        Assert.False(lease.IsLost);
        Assert.Null(await Leases(clock).TryTakeAsync(connection.IntegrationId, kind, length, CancellationToken.None));
        await lease.DisposeAsync();
        await using var next = await Leases(clock).TryTakeAsync(connection.IntegrationId, kind, length, CancellationToken.None);
        Assert.NotNull(next);
    }

    [Fact]
    public async Task Lease_IsLostAtTheFirstRenewalThatFindsItTaken()
    {
        var connection = await ConnectAsync(factory, FakeProvider.Google);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var lease = await Leases(clock).TryTakeAsync(connection.IntegrationId, IntegrationLeaseKind.FileSync, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.NotNull(lease);
        await factory.WithDbAsync(db => db.Set<CloudIntegration>().Where(i => i.Id == connection.IntegrationId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Sync.LeaseOwner, "someone-else")));

        await WaitForAsync(() =>
        {
            clock.Advance(TimeSpan.FromSeconds(2));
            return Task.FromResult(lease.Lost.IsCancellationRequested);
        }, "lease lost");
        Assert.Equal("someone-else", (await SyncStateAsync(factory, connection.IntegrationId)).LeaseOwner);
    }

    private IntegrationLeases Leases(TimeProvider clock) =>
        new(factory.Services.GetRequiredService<IServiceScopeFactory>(), clock, NullLogger<IntegrationLeases>.Instance);

    private Task<DateTime?> LeaseUntilAsync(string integrationId, IntegrationLeaseKind kind) =>
        factory.WithDbAsync(db => db.Set<CloudIntegration>().AsNoTracking().Where(i => i.Id == integrationId)
            .Select(i => kind == IntegrationLeaseKind.FileSync ? i.Sync.LeaseUntil : i.RefreshLeaseUntil).FirstAsync());

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            Assert.False(timeout.IsCancellationRequested, "timed out waiting for: " + what);
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
    }
}
