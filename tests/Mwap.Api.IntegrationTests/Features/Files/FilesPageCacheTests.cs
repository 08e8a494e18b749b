using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Files;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using static Mwap.Api.IntegrationTests.Features.Files.FileSyncHarness;

namespace Mwap.Api.IntegrationTests.Features.Files;

/// <summary>
/// Issue 13: pages of the file index are kept in memory, keyed by the integration's index version. Whatever a sync
/// commits is seen by the next request, and no project is ever served another's page.
/// </summary>
public sealed class FilesPageCacheTests(FileSyncApiFactory factory) : IClassFixture<FileSyncApiFactory>
{
    [Fact]
    public async Task RepeatedPages_AreServedFromMemory_AndEverySyncIsSeenByTheNextRequest()
    {
        var connection = await ConnectAsync(factory, FakeProvider.Dropbox);
        var drive = State(factory, FakeProvider.Dropbox).Files;
        var shoot = drive.AddFolder("/Projects/Shoot1");
        drive.AddFile(shoot, "a.txt", new byte[10]);
        var other = drive.AddFolder("/Projects/Other");
        drive.AddFile(other, "elsewhere.txt", new byte[3]);
        await SyncOkAsync(factory, connection.IntegrationId);
        var projectId = await CreateProjectAsync(connection, "/Projects/Shoot1");
        var url = $"/api/v1/projects/{projectId}/files?limit=100";

        Assert.Equal(["a.txt"], await NamesAsync(connection, url));

        // A row changed behind the server's back (no sync, no invalidation) is not seen: the page came from memory.
        await factory.WithDbAsync(db => db.Set<VirtualFile>().Where(f => f.IntegrationId == connection.IntegrationId && f.Name == "a.txt")
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.Size, 999)));
        Assert.Equal(10, (await PageAsync(connection, url))[0].GetProperty("size").GetInt64());

        // A sync that changes the folder is seen at once (its commits bump the index version): a fresh page.
        drive.AddFile(shoot, "b.txt", new byte[20]);
        await SyncOkAsync(factory, connection.IntegrationId);
        var page = await PageAsync(connection, url);
        Assert.Equal(["a.txt", "b.txt"], page.Select(f => f.GetProperty("name").GetString()));
        Assert.Equal(999, page[0].GetProperty("size").GetInt64());

        // Even a sync that brings nothing new ends with a fresh page.
        await factory.WithDbAsync(db => db.Set<VirtualFile>().Where(f => f.IntegrationId == connection.IntegrationId && f.Name == "a.txt")
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.Size, 555)));
        Assert.Equal(999, (await PageAsync(connection, url))[0].GetProperty("size").GetInt64());
        await SyncOkAsync(factory, connection.IntegrationId);
        Assert.Equal(555, (await PageAsync(connection, url))[0].GetProperty("size").GetInt64());

        // Another project on the same integration, same query: its own folder, never the first project's page.
        var otherProject = await CreateProjectAsync(connection, "/Projects/Other");
        Assert.Equal(["elsewhere.txt"], await NamesAsync(connection, $"/api/v1/projects/{otherProject}/files?limit=100"));
    }

    private async Task<string> CreateProjectAsync(Connection connection, string folder)
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var typeId = (await admin.CreateProjectTypeAsync()).GetProperty("_id").GetString()!;
        var created = await connection.Owner.PostJsonAsync("/api/v1/projects", new
        {
            tenantId = connection.TenantId,
            projectTypeId = typeId,
            cloudIntegrationId = connection.IntegrationId,
            folderpath = folder,
            name = TestUsers.UniqueName("Project"),
        }).ReadDataAsync(HttpStatusCode.Created);
        return created.GetProperty("_id").GetString()!;
    }

    private static async Task<List<JsonElement>> PageAsync(Connection connection, string url) =>
        [.. (await connection.Owner.GetAsync(url).ReadDataAsync()).EnumerateArray()];

    private static async Task<List<string>> NamesAsync(Connection connection, string url) =>
        [.. (await PageAsync(connection, url)).Select(f => f.GetProperty("name").GetString()!)];
}
