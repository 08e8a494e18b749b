using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.Features.Files.Sync;
using Mwap.Api.Features.Integrations;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using static Mwap.Api.IntegrationTests.Features.Files.FileSyncHarness;

namespace Mwap.Api.IntegrationTests.Features.Files;

/// <summary>
/// The sync engine against each provider's fake, on the test run's database: full sync, incremental changes, cursor
/// expiry, a sync that dies halfway, and throttling mid-sync. After each, the index must equal the fake's tree.
/// </summary>
public sealed class FileSyncTests(FileSyncApiFactory factory) : IClassFixture<FileSyncApiFactory>
{
    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(FileSyncHarness))]
    public async Task FullSync_ThenScriptedChanges_IndexEqualsTheProvidersTree(FakeProvider provider)
    {
        var connection = await ConnectAsync(factory, provider);
        var drive = State(factory, provider).Files;
        BuildTree(drive);

        var full = await SyncOkAsync(factory, connection.IntegrationId);
        Assert.Equal("full", full.Mode);
        await AssertIndexMatchesAsync(factory, drive, connection.IntegrationId);
        var state = await SyncStateAsync(factory, connection.IntegrationId);
        Assert.Equal(SyncStates.Succeeded, state.State);
        Assert.Equal(drive.Count, state.FilesIndexed);
        Assert.NotNull(state.Cursor);

        // create, rename, move across folders, rename and move folders with children, update, delete a file, delete a folder.
        var shoot = drive.FindByPath("/Projects/Shoot1")!;
        var other = drive.FindByPath("/Projects/Other")!;
        drive.AddFile(shoot, "new.txt");
        drive.Rename(drive.FindByPath("/Projects/Shoot1/a.txt")!, "renamed.txt");
        drive.Move(drive.FindByPath("/Projects/Shoot1/B.jpg")!, other);
        drive.Rename(drive.FindByPath("/Projects/Shoot1/Sub")!, "Sub2");
        drive.Move(drive.FindByPath("/Projects/Shoot1/Sub2/Deep")!, other);
        drive.UpdateContent(drive.FindByPath("/root.txt")!, "a longer body than before"u8.ToArray());
        drive.Delete(drive.FindByPath("/Projects/Other/a.txt")!);
        var doomed = drive.AddFolder(shoot, "Doomed");
        drive.AddFiles(doomed, 3, "gone");
        drive.Delete(drive.FindByPath("/Empty")!);

        var incremental = await SyncOkAsync(factory, connection.IntegrationId);
        Assert.Equal("incremental", incremental.Mode);
        await AssertIndexMatchesAsync(factory, drive, connection.IntegrationId);

        // The new folder arrived and is now deleted with its children.
        drive.Delete(doomed);
        await SyncOkAsync(factory, connection.IntegrationId);
        await AssertIndexMatchesAsync(factory, drive, connection.IntegrationId);
        Assert.Equal(drive.Count, (await SyncStateAsync(factory, connection.IntegrationId)).FilesIndexed);
    }

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(FileSyncHarness))]
    public async Task IncrementalSync_WithNoChanges_ChangesNothing(FakeProvider provider)
    {
        var connection = await ConnectAsync(factory, provider);
        var drive = State(factory, provider).Files;
        BuildTree(drive);
        await SyncOkAsync(factory, connection.IntegrationId);
        var before = await IndexedAsync(factory, connection.IntegrationId);

        var again = await SyncOkAsync(factory, connection.IntegrationId);
        Assert.Equal("incremental", again.Mode);
        Assert.Equal(before, await IndexedAsync(factory, connection.IntegrationId));
    }

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(FileSyncHarness))]
    public async Task ExpiredCursor_FallsBackToAFullResync_WithNoStaleRows(FakeProvider provider)
    {
        var connection = await ConnectAsync(factory, provider);
        var fake = State(factory, provider);
        BuildTree(fake.Files);
        await SyncOkAsync(factory, connection.IntegrationId);

        fake.Files.Delete(fake.Files.FindByPath("/Projects/Shoot1/Sub")!);
        fake.Files.AddFile(fake.Files.Root, "after-expiry.txt");
        fake.ExpireChangeCursors();

        var result = await SyncOkAsync(factory, connection.IntegrationId);
        Assert.Equal("resync", result.Mode);
        await AssertIndexMatchesAsync(factory, fake.Files, connection.IntegrationId);

        // The cursor the resync stored works for the next incremental sync.
        fake.Files.AddFile(fake.Files.Root, "later.txt");
        Assert.Equal("incremental", (await SyncOkAsync(factory, connection.IntegrationId)).Mode);
        await AssertIndexMatchesAsync(factory, fake.Files, connection.IntegrationId);
    }

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(FileSyncHarness))]
    public async Task SyncKilledHalfway_ThenRunAgain_GivesTheSameIndex(FakeProvider provider)
    {
        var connection = await ConnectAsync(factory, provider);
        var fake = State(factory, provider);
        BuildTree(fake.Files);
        var (fullPath, changesPath) = FeedPaths(provider);

        // The second listing page fails for good (Drive's root lookup shares the path): the sync dies with a page written.
        fake.EnqueueFault(fullPath, 403, PermanentFailureBody(provider), times: 1, skip: provider == FakeProvider.Google ? 2 : 1);
        var failed = await SyncAsync(factory, connection.IntegrationId);
        Assert.Equal(SyncResultKind.Failed, failed.Kind);
        Assert.InRange(await CountAsync(factory, connection.IntegrationId), 1, fake.Files.Count - 1);
        var state = await SyncStateAsync(factory, connection.IntegrationId);
        Assert.Equal(SyncStates.Failed, state.State);
        Assert.Equal(1, state.ConsecutiveFailures);
        Assert.Null(state.LeaseOwner);

        await SyncOkAsync(factory, connection.IntegrationId);
        await AssertIndexMatchesAsync(factory, fake.Files, connection.IntegrationId);

        // Same for an incremental sync dying after its first page: the rerun resumes and converges.
        var shoot = fake.Files.FindByPath("/Projects/Shoot1")!;
        fake.Files.AddFiles(shoot, 60, "wave");
        fake.Files.Rename(fake.Files.FindByPath("/Projects/Shoot1/Sub")!, "Moved");
        fake.EnqueueFault(changesPath, 403, PermanentFailureBody(provider), times: 1, skip: 1);
        Assert.Equal(SyncResultKind.Failed, (await SyncAsync(factory, connection.IntegrationId)).Kind);
        await SyncOkAsync(factory, connection.IntegrationId);
        await AssertIndexMatchesAsync(factory, fake.Files, connection.IntegrationId);
        Assert.Equal(0, (await SyncStateAsync(factory, connection.IntegrationId)).ConsecutiveFailures);
    }

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(FileSyncHarness))]
    public async Task ThrottledMidSync_WaitsAndCompletes(FakeProvider provider)
    {
        var connection = await ConnectAsync(factory, provider);
        var fake = State(factory, provider);
        BuildTree(fake.Files);
        var (fullPath, _) = FeedPaths(provider);

        fake.EnqueueThrottle(fullPath, retryAfterSeconds: 1, times: 1, skip: 1);
        var result = await SyncOkAsync(factory, connection.IntegrationId);
        Assert.Equal("full", result.Mode);
        Assert.Equal(0, fake.PendingFaults);
        await AssertIndexMatchesAsync(factory, fake.Files, connection.IntegrationId);
    }

    [Fact]
    public async Task OneSyncPerIntegration_ASecondCallerIsTurnedAwayWhileTheLeaseIsHeld()
    {
        var connection = await ConnectAsync(factory, FakeProvider.Dropbox);
        await factory.WithDbAsync(async db =>
        {
            var integration = await db.Set<CloudIntegration>().FindAsync(connection.IntegrationId);
            integration!.Sync.LeaseOwner = "another-instance";
            integration.Sync.LeaseUntil = DateTime.UtcNow.AddMinutes(1);
            return await db.SaveChangesAsync();
        });

        Assert.Equal(SyncResultKind.AlreadyRunning, (await SyncAsync(factory, connection.IntegrationId)).Kind);
    }

    [Fact]
    public async Task DeletingTheIntegration_RemovesItsIndex()
    {
        var connection = await ConnectAsync(factory, FakeProvider.Google);
        BuildTree(factory.Fake.Google.Files);
        await SyncOkAsync(factory, connection.IntegrationId);
        Assert.True(await CountAsync(factory, connection.IntegrationId) > 0);

        var response = await connection.Owner.DeleteAsync(connection.IntegrationUrl);
        Assert.True(response.IsSuccessStatusCode, $"delete answered {(int)response.StatusCode}");
        Assert.Equal(0, await CountAsync(factory, connection.IntegrationId));
    }

    [Fact]
    public async Task DeletingTheTenant_RemovesItsIndex()
    {
        var connection = await ConnectAsync(factory, FakeProvider.Microsoft);
        BuildTree(factory.Fake.Microsoft.Files);
        await SyncOkAsync(factory, connection.IntegrationId);
        Assert.True(await CountAsync(factory, connection.IntegrationId) > 0);

        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var response = await admin.DeleteAsync($"/api/v1/tenants/{connection.TenantId}");
        Assert.True(response.IsSuccessStatusCode, $"delete answered {(int)response.StatusCode}");
        Assert.Equal(0, await CountAsync(factory, connection.IntegrationId));
    }

    [Fact]
    public async Task Connecting_QueuesTheInitialFullSync_AndTheRecurringJobSyncsEveryActiveIntegration()
    {
        var google = await ConnectAsync(factory, FakeProvider.Google);
        var storage = factory.Services.GetRequiredService<JobStorage>();
        var queued = storage.GetMonitoringApi().EnqueuedJobs("default", 0, 1000).Select(j => j.Value.Job)
            .Where(j => j.Type == typeof(FileSyncJob) && j.Method.Name == nameof(FileSyncJob.SyncIntegrationAsync)).ToList();
        Assert.Contains(queued, j => (string)j.Args[0] == google.IntegrationId && (bool)j.Args[1]);

        BuildTree(factory.Fake.Google.Files);
        var dropbox = await Connection.CreateAsync(factory, FakeProvider.Dropbox);
        await dropbox.ConnectAsync(factory);
        BuildTree(factory.Fake.Dropbox.Files);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<FileSyncJob>().RunAsync(CancellationToken.None) >= 2);
        }

        await AssertIndexMatchesAsync(factory, factory.Fake.Google.Files, google.IntegrationId);
        await AssertIndexMatchesAsync(factory, factory.Fake.Dropbox.Files, dropbox.IntegrationId);
    }
}
