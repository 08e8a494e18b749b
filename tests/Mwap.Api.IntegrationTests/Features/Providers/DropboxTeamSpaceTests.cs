using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Integrations;
using Mwap.Api.IntegrationTests.Features.Files;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using Mwap.FakeProviders.Dropbox;
using static Mwap.Api.IntegrationTests.Features.Files.FileSyncHarness;

namespace Mwap.Api.IntegrationTests.Features.Providers;

/// <summary>
/// Issue 12 item 2: a Dropbox team-space member's team folders live outside the home namespace. The server reads
/// <c>root_info</c> at connect and sends <c>Dropbox-API-Path-Root</c> on every file call, so the team space is indexed,
/// listed and downloadable; a root that moved (422 <c>invalid_root</c>) is re-read and the call retried once.
/// </summary>
public sealed class DropboxTeamSpaceTests(FileSyncApiFactory factory) : IClassFixture<FileSyncApiFactory>
{
    [Fact]
    public async Task TeamFolders_AreIndexedListedAndDownloadable_AndAMovedRootIsFollowed()
    {
        var fake = factory.Fake.Dropbox;
        fake.DropboxTeamSpace = new DropboxTeamSpace("/Alice Fake");
        try
        {
            var connection = await ConnectAsync(factory, FakeProvider.Dropbox);
            fake.Files.AddFile(fake.Files.AddFolder("/Alice Fake/Projects"), "mine.txt");
            var team = fake.Files.AddFolder("/Team Folder");
            var shared = fake.Files.AddFile(team, "shared.txt");

            Assert.Equal("7766554433", await StoredRootAsync(connection));
            await SyncOkAsync(factory, connection.IntegrationId);
            await AssertIndexMatchesAsync(factory, fake.Files, connection.IntegrationId);
            Assert.Contains("/team folder/shared.txt (" + shared.Size + ")", await IndexedAsync(factory, connection.IntegrationId));

            // The folder picker shows the team root: the team folder and the member's home folder side by side.
            Assert.Equal(["/Alice Fake", "/Team Folder"], await FolderPathsAsync(connection, ""));

            var filesUrl = await ProjectOnAsync(connection, "/Team Folder");
            var listed = await ListAsync(connection.Owner, filesUrl);
            Assert.Equal(["shared.txt"], listed.Keys);
            Assert.Equal(["shared.txt"], (await ListAsync(connection.Owner, filesUrl + "?live=true")).Keys);
            var link = await connection.Owner.GetAsync($"{filesUrl}/{listed["shared.txt"]}/download").ReadDataAsync();
            using var anonymous = new HttpClient();
            Assert.Equal(shared.Content, await anonymous.GetByteArrayAsync(link.GetProperty("url").GetString()));

            // The team's root namespace changes: the stale header answers 422 invalid_root; the account is re-read once.
            fake.DropboxTeamSpace.RootNamespaceId = "9988776655";
            fake.Files.AddFile(team, "later.txt");
            var accountReads = fake.ApiRequests.GetValueOrDefault("/2/users/get_current_account");
            await SyncOkAsync(factory, connection.IntegrationId);
            await AssertIndexMatchesAsync(factory, fake.Files, connection.IntegrationId);
            Assert.Equal("9988776655", await StoredRootAsync(connection));
            Assert.Equal(accountReads + 1, fake.ApiRequests.GetValueOrDefault("/2/users/get_current_account"));
        }
        finally
        {
            fake.DropboxTeamSpace = null;
        }
    }

    private Task<string?> StoredRootAsync(Connection connection) => factory.WithDbAsync(db =>
        db.Set<CloudIntegration>().AsNoTracking().Where(i => i.Id == connection.IntegrationId).Select(i => i.Account.RootNamespaceId).FirstAsync());

    private async Task<string> ProjectOnAsync(Connection connection, string folder)
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var typeId = (await admin.CreateProjectTypeAsync()).GetProperty("_id").GetString()!;
        var projectId = (await connection.Owner.PostJsonAsync("/api/v1/projects", new
        {
            tenantId = connection.TenantId,
            projectTypeId = typeId,
            cloudIntegrationId = connection.IntegrationId,
            folderpath = folder,
            name = TestUsers.UniqueName("Project"),
        }).ReadDataAsync(HttpStatusCode.Created)).GetProperty("_id").GetString()!;
        return $"/api/v1/projects/{projectId}/files";
    }

    private static async Task<Dictionary<string, string>> ListAsync(HttpClient owner, string url)
    {
        var response = await owner.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("data").EnumerateArray()
            .ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("_id").GetString()!);
    }

    private static async Task<List<string>> FolderPathsAsync(Connection connection, string path)
    {
        var response = await connection.Owner.GetAsync($"{connection.IntegrationUrl}/folders?path={Uri.EscapeDataString(path)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.GetProperty("data").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).Order(StringComparer.Ordinal)];
    }
}
