using System.Net;
using System.Text.Json;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using static Mwap.Api.IntegrationTests.Features.Files.FileSyncHarness;

namespace Mwap.Api.IntegrationTests.Features.Projects;

/// <summary>
/// The project read is cached (issue 13): every write that changes what <c>GET /projects/{id}</c> shows must be seen
/// by the next read, and <c>metadata</c> (issue 10) must follow the file index through each sync.
/// </summary>
public sealed class ProjectReadCacheTests(Files.FileSyncApiFactory factory) : IClassFixture<Files.FileSyncApiFactory>
{
    [Fact]
    public async Task Metadata_IsZeroBeforeTheFirstSync_ThenCountsTheFilesUnderTheFolder_AndFollowsEachSync()
    {
        var connection = await ConnectAsync(factory, FakeProvider.Dropbox);
        var drive = State(factory, FakeProvider.Dropbox).Files;
        var shoot = drive.AddFolder("/Projects/Shoot1");
        drive.AddFile(shoot, "a.txt", new byte[10]);
        var sub = drive.AddFolder(shoot, "Sub");
        drive.AddFile(sub, "b.jpg", new byte[200]);
        drive.AddFolder(sub, "Empty");
        drive.AddFile(drive.AddFolder("/Projects/Shoot10"), "outside.txt", new byte[5000]); // a sibling whose name extends the folder's
        drive.AddFile(drive.Root, "root.txt", new byte[7]);
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var typeId = (await admin.CreateProjectTypeAsync()).GetProperty("_id").GetString()!;
        var created = await connection.Owner.PostJsonAsync("/api/v1/projects", new
        {
            tenantId = connection.TenantId,
            projectTypeId = typeId,
            cloudIntegrationId = connection.IntegrationId,
            folderpath = "/projects/shoot1",
            name = TestUsers.UniqueName("Project"),
        }).ReadDataAsync(HttpStatusCode.Created);
        var projectId = created.GetProperty("_id").GetString()!;
        var url = $"/api/v1/projects/{projectId}";

        AssertMetadata(created, 0, 0, null);
        AssertMetadata(await connection.Owner.GetAsync(url).ReadDataAsync(), 0, 0, null);

        await SyncOkAsync(factory, connection.IntegrationId);
        var lastSync = (await SyncStateAsync(factory, connection.IntegrationId)).LastSyncAt;
        // Files only (no folders), matched case-insensitively, nothing from the sibling folder or the root.
        AssertMetadata(await connection.Owner.GetAsync(url).ReadDataAsync(), 2, 210, lastSync);
        var listed = (await connection.Owner.GetAsync("/api/v1/projects").ReadDataAsync()).EnumerateArray().Single(p => p.GetProperty("_id").GetString() == projectId);
        AssertMetadata(listed, 2, 210, lastSync);

        drive.AddFile(sub, "c.txt", new byte[1000]);
        await SyncOkAsync(factory, connection.IntegrationId);
        var secondSync = (await SyncStateAsync(factory, connection.IntegrationId)).LastSyncAt;
        AssertMetadata(await connection.Owner.GetAsync(url).ReadDataAsync(), 3, 1210, secondSync);
    }

    [Fact]
    public async Task EveryWrite_IsSeenByTheNextRead()
    {
        var s = await ProjectScenario.CreateAsync(factory);
        var owner = s.TenantOwner.Client;
        var superadmin = s.Admin.Client;
        Assert.Equal(3, (await owner.GetAsync(s.ProjectUrl).ReadDataAsync()).GetProperty("members").GetArrayLength());
        await superadmin.GetAsync(s.ProjectUrl).ReadDataAsync();

        var renamed = TestUsers.UniqueName("Renamed");
        var patched = await owner.PatchJsonAsync(s.ProjectUrl, new { name = renamed, description = "changed", archived = true }).ReadDataAsync();
        Assert.Equal(3, patched.GetProperty("members").GetArrayLength());
        foreach (var client in new[] { owner, superadmin })
        {
            var read = await client.GetAsync(s.ProjectUrl).ReadDataAsync();
            Assert.Equal(renamed, read.GetProperty("name").GetString());
            Assert.Equal("changed", read.GetProperty("description").GetString());
            Assert.True(read.GetProperty("archived").GetBoolean());
            Assert.Equal(patched.GetProperty("updatedAt").GetString(), read.GetProperty("updatedAt").GetString());
        }

        var newcomer = ProjectScenario.NewActor(factory, "newcomer");
        Assert.Equal(HttpStatusCode.NoContent, (await owner.PostJsonAsync(s.MembersUrl, new { userId = newcomer.Subject, role = "MEMBER" })).StatusCode);
        Assert.Equal("MEMBER", RoleOf(await owner.GetAsync(s.ProjectUrl).ReadDataAsync(), newcomer.Subject));
        Assert.Equal("MEMBER", RoleOf(await newcomer.Client.GetAsync(s.ProjectUrl).ReadDataAsync(), newcomer.Subject));

        Assert.Equal(HttpStatusCode.NoContent, (await owner.PatchJsonAsync(s.MemberUrl(newcomer.Subject), new { role = "DEPUTY" })).StatusCode);
        Assert.Equal("DEPUTY", RoleOf(await owner.GetAsync(s.ProjectUrl).ReadDataAsync(), newcomer.Subject));

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync(s.MemberUrl(newcomer.Subject))).StatusCode);
        Assert.Null(RoleOf(await owner.GetAsync(s.ProjectUrl).ReadDataAsync(), newcomer.Subject));
        Assert.Equal(HttpStatusCode.NotFound, (await newcomer.Client.GetAsync(s.ProjectUrl)).StatusCode);

        // A superadmin passes the membership check, so only the cache stands between them and a deleted project.
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync(s.ProjectUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await superadmin.GetAsync(s.ProjectUrl)).StatusCode);
        Assert.DoesNotContain(IdsOf(await superadmin.GetAsync("/api/v1/projects?all=true").ReadDataAsync()), id => id == s.ProjectId);
    }

    [Fact]
    public async Task DeletingTheTenant_DropsItsCachedProjects()
    {
        var s = await ProjectScenario.CreateAsync(factory);
        await s.Admin.Client.GetAsync(s.ProjectUrl).ReadDataAsync();
        Assert.Contains(IdsOf(await s.Admin.Client.GetAsync("/api/v1/projects?all=true").ReadDataAsync()), id => id == s.ProjectId);

        Assert.Equal(HttpStatusCode.NoContent, (await s.Admin.Client.DeleteAsync($"/api/v1/tenants/{s.TenantId}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await s.Admin.Client.GetAsync(s.ProjectUrl)).StatusCode);
        Assert.DoesNotContain(IdsOf(await s.Admin.Client.GetAsync("/api/v1/projects?all=true").ReadDataAsync()), id => id == s.ProjectId);
    }

    private static void AssertMetadata(JsonElement project, long files, long size, DateTime? lastSync)
    {
        var metadata = project.GetProperty("metadata");
        Assert.Equal(files, metadata.GetProperty("fileCount").GetInt64());
        Assert.Equal(size, metadata.GetProperty("totalSize").GetInt64());
        if (lastSync is null)
        {
            Assert.Equal(JsonValueKind.Null, metadata.GetProperty("lastSync").ValueKind);
        }
        else
        {
            Assert.Equal(lastSync.Value, metadata.GetProperty("lastSync").GetDateTime(), TimeSpan.FromMilliseconds(1));
        }
    }

    private static string? RoleOf(JsonElement project, string userId) =>
        project.GetProperty("members").EnumerateArray().FirstOrDefault(m => m.GetProperty("userId").GetString() == userId) is { ValueKind: JsonValueKind.Object } m
            ? m.GetProperty("role").GetString()
            : null;

    private static List<string> IdsOf(JsonElement list) => [.. list.EnumerateArray().Select(p => p.GetProperty("_id").GetString()!)];
}
