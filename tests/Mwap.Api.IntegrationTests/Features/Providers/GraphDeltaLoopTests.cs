using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.Features.Files.Sync;
using Mwap.Api.IntegrationTests.Features.Files;
using Mwap.FakeProviders;
using static Mwap.Api.IntegrationTests.Features.Files.FileSyncHarness;

namespace Mwap.Api.IntegrationTests.Features.Providers;

/// <summary>Issue 12 item 3: Graph delta paging that repeats a page must neither hang the sync nor lose rows.</summary>
public sealed class GraphDeltaLoopTests(FileSyncApiFactory factory) : IClassFixture<FileSyncApiFactory>
{
    [Fact]
    public async Task DeltaWithTopLoopsOnPersonalAccounts_TheSyncSendsNoTop_AndCompletes()
    {
        var connection = await ConnectAsync(factory, FakeProvider.Microsoft);
        var fake = factory.Fake.Microsoft;
        BuildTree(fake.Files);
        fake.Files.AddFiles(fake.Files.Root, 60, "more"); // four delta pages of 25: the loop starts on a continuation page
        fake.DeltaPageLoop = GraphDeltaLoop.WhenTopGiven;
        try
        {
            // A bound so a looping sync fails the test instead of hanging it (not a timing assertion).
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var result = await SyncBoundedAsync(connection.IntegrationId, bound.Token);
            Assert.True(result.Kind == SyncResultKind.Completed, $"sync {result.Kind}: {result.Error}");
            await AssertIndexMatchesAsync(factory, fake.Files, connection.IntegrationId);
        }
        finally
        {
            fake.DeltaPageLoop = GraphDeltaLoop.Never;
        }
    }

    [Fact]
    public async Task ANextLinkThatRepeats_FailsTheSync_AndKeepsTheIndex()
    {
        var connection = await ConnectAsync(factory, FakeProvider.Microsoft);
        var fake = factory.Fake.Microsoft;
        BuildTree(fake.Files);
        fake.Files.AddFiles(fake.Files.Root, 60, "more"); // four delta pages of 25: the loop starts on a continuation page
        await SyncOkAsync(factory, connection.IntegrationId);
        var before = await IndexedAsync(factory, connection.IntegrationId);
        fake.DeltaPageLoop = GraphDeltaLoop.Always;
        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var result = await SyncBoundedAsync(connection.IntegrationId, bound.Token, full: true);
            Assert.Equal(SyncResultKind.Failed, result.Kind);
            Assert.Contains("repeated", result.Error, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(before, await IndexedAsync(factory, connection.IntegrationId));
        }
        finally
        {
            fake.DeltaPageLoop = GraphDeltaLoop.Never;
        }
    }

    private async Task<SyncResult> SyncBoundedAsync(string integrationId, CancellationToken bound, bool full = false)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FileSyncService>().SyncAsync(integrationId, full, bound);
    }
}
