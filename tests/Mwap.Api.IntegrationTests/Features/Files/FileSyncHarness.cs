using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.Features.Files;
using Mwap.Api.Features.Files.Sync;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using Mwap.FakeProviders.Drive;

namespace Mwap.Api.IntegrationTests.Features.Files;

/// <summary>Small pages, so every sync test crosses page boundaries; fast retries for throttling tests.</summary>
public sealed class FileSyncApiFactory : ConnectFlowApiFactory
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["CloudProviders:AllowInsecureUrls"] = "true",
        ["OAuth:RedirectUri"] = RedirectUri,
        ["OAuth:FrontendOrigin"] = FrontendOrigin,
        ["Providers:RetryBaseDelayMilliseconds"] = "20",
        ["Integrations:SyncPageSize"] = "25",
    };

    /// <summary>Graph's delta is read without <c>$top</c> (the server picks the page size): cap it so delta pages too.</summary>
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Fake.Microsoft.MaxPageSize = 25;
    }
}

/// <summary>Drives the sync engine directly (jobs are off in tests) and compares the index with the fake's tree.</summary>
internal static class FileSyncHarness
{
    public static FakeProviderState State(ConnectFlowApiFactory factory, FakeProvider provider) => provider switch
    {
        FakeProvider.Google => factory.Fake.Google,
        FakeProvider.Dropbox => factory.Fake.Dropbox,
        _ => factory.Fake.Microsoft,
    };

    /// <summary>The real connect flow, on an empty fake account.</summary>
    public static async Task<Connection> ConnectAsync(ConnectFlowApiFactory factory, FakeProvider provider)
    {
        State(factory, provider).Files.Clear();
        State(factory, provider).ClearFaults();
        var connection = await Connection.CreateAsync(factory, provider);
        await connection.ConnectAsync(factory);
        return connection;
    }

    /// <summary>
    /// Runs a sync directly, standing in for a job worker (these factories run none): the sync job queued for the
    /// integration (by the connect flow or a request) is marked done, as a worker that ran it would leave it.
    /// </summary>
    public static async Task<SyncResult> SyncAsync(MwapApiFactory factory, string integrationId, bool full = false)
    {
        var queued = await factory.WithDbAsync(db => db.Set<CloudIntegration>().AsNoTracking()
            .Where(i => i.Id == integrationId).Select(i => i.Sync.JobId).FirstOrDefaultAsync());
        await using var scope = factory.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<FileSyncService>().SyncAsync(integrationId, full, CancellationToken.None);
        if (queued is not null && !queued.StartsWith("claim:", StringComparison.Ordinal))
        {
            scope.ServiceProvider.GetRequiredService<IBackgroundJobClient>().ChangeState(queued, new SucceededState(null, 1, 1), EnqueuedState.StateName);
        }

        return result;
    }

    public static async Task<SyncResult> SyncOkAsync(MwapApiFactory factory, string integrationId, bool full = false)
    {
        var result = await SyncAsync(factory, integrationId, full);
        Assert.True(result.Kind == SyncResultKind.Completed, $"sync {result.Kind}: {result.Error}");
        return result;
    }

    /// <summary>A nested tree with a project folder, siblings, duplicated names in different folders and enough files to page.</summary>
    public static void BuildTree(FakeDrive drive)
    {
        var shoot = drive.AddFolder("/Projects/Shoot1");
        drive.AddFile(shoot, "a.txt");
        drive.AddFile(shoot, "B.jpg");
        var sub = drive.AddFolder(shoot, "Sub");
        drive.AddFile(sub, "c.txt");
        var deep = drive.AddFolder(sub, "Deep");
        drive.AddFile(deep, "d.txt");
        drive.AddFiles(deep, 30, "bulk");
        var other = drive.AddFolder("/Projects/Other");
        drive.AddFile(other, "a.txt");
        drive.AddFile(drive.Root, "root.txt");
        drive.AddFolder("/Empty");
    }

    /// <summary>What the account holds, as (path, folder?, size), trashed items and their contents excluded.</summary>
    public static List<string> Expected(FakeDrive drive) =>
        [.. Visible(drive, drive.Root).Select(i => Describe(drive.PathOf(i), i.IsFolder, i.IsFolder ? null : i.Size)).Order(StringComparer.Ordinal)];

    public static async Task<List<string>> IndexedAsync(MwapApiFactory factory, string integrationId) =>
        await factory.WithDbAsync(async db =>
        {
            var rows = await db.Set<VirtualFile>().AsNoTracking().Where(f => f.IntegrationId == integrationId)
                .Select(f => new { f.Path, f.IsFolder, f.Size }).ToListAsync();
            return rows.Select(r => Describe(r.Path ?? "<no path>", r.IsFolder, r.Size)).Order(StringComparer.Ordinal).ToList();
        });

    public static async Task AssertIndexMatchesAsync(MwapApiFactory factory, FakeDrive drive, string integrationId)
    {
        var expected = Expected(drive);
        var actual = await IndexedAsync(factory, integrationId);
        Assert.Equal(expected, actual);
    }

    public static async Task<IntegrationSync> SyncStateAsync(MwapApiFactory factory, string integrationId) =>
        await factory.WithDbAsync(db => db.Set<CloudIntegration>().AsNoTracking().Where(i => i.Id == integrationId).Select(i => i.Sync).FirstAsync());

    public static Task<int> CountAsync(MwapApiFactory factory, string integrationId) =>
        factory.WithDbAsync(db => db.Set<VirtualFile>().CountAsync(f => f.IntegrationId == integrationId));

    private static IEnumerable<FakeDriveItem> Visible(FakeDrive drive, FakeDriveItem folder)
    {
        foreach (var child in drive.Children(folder).Where(c => !c.Trashed))
        {
            yield return child;
            if (child.IsFolder)
            {
                foreach (var below in Visible(drive, child))
                {
                    yield return below;
                }
            }
        }
    }

    private static string Describe(string path, bool isFolder, long? size) =>
        isFolder ? $"{path.ToLowerInvariant()} [dir]" : $"{path.ToLowerInvariant()} ({size})";

    /// <summary>The request path a provider's listing and feed use, for fault injection.</summary>
    public static (string Full, string Changes) FeedPaths(FakeProvider provider) => provider switch
    {
        FakeProvider.Google => ("/drive/v3/files", "/drive/v3/changes"),
        FakeProvider.Dropbox => ("/2/files/list_folder", "/2/files/list_folder/continue"),
        _ => ("/v1.0/me/drive/root/delta", "/v1.0/me/drive/root/delta"),
    };

    /// <summary>A 403 each provider means as final (not a rate limit), so the sync stops there.</summary>
    public static string PermanentFailureBody(FakeProvider provider) => provider switch
    {
        FakeProvider.Google => """{"error":{"code":403,"message":"Insufficient Permission","errors":[{"domain":"global","reason":"insufficientPermissions","message":"Insufficient Permission"}]}}""",
        FakeProvider.Dropbox => """{"error_summary":"no_permission/","error":{".tag":"no_permission"}}""",
        _ => """{"error":{"code":"accessDenied","message":"Access denied"}}""",
    };

    public static readonly TheoryData<FakeProvider> Providers = [FakeProvider.Google, FakeProvider.Dropbox, FakeProvider.Microsoft];

    internal static IQueryable<VirtualFile> Files(MwapDbContext db, string integrationId) => db.Set<VirtualFile>().Where(f => f.IntegrationId == integrationId);
}
