using System.Net;
using System.Text.Json;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using static Mwap.Api.IntegrationTests.Features.Files.FileSyncHarness;

namespace Mwap.Api.IntegrationTests.Features.Files;

/// <summary><c>GET /projects/{id}/files</c>, download links and sync requests, over real HTTP with the fakes behind.</summary>
public sealed class ProjectFilesApiTests(FileSyncApiFactory factory) : IClassFixture<FileSyncApiFactory>
{
    private sealed record Scenario(Connection Connection, string ProjectId, string OtherProjectId, HttpClient Owner)
    {
        public string FilesUrl => $"/api/v1/projects/{ProjectId}/files";
    }

    private async Task<Scenario> SetUpAsync(FakeProvider provider = FakeProvider.Google)
    {
        var connection = await ConnectAsync(factory, provider);
        BuildTree(State(factory, provider).Files);
        await SyncOkAsync(factory, connection.IntegrationId);
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var typeId = (await admin.CreateProjectTypeAsync()).GetProperty("_id").GetString()!;
        var projectId = await CreateProjectAsync(connection, typeId, "/Projects/Shoot1");
        var otherId = await CreateProjectAsync(connection, typeId, "/Projects/Other");
        return new Scenario(connection, projectId, otherId, connection.Owner);
    }

    private static async Task<string> CreateProjectAsync(Connection connection, string typeId, string folder) =>
        (await connection.Owner.PostJsonAsync("/api/v1/projects", new
        {
            tenantId = connection.TenantId,
            projectTypeId = typeId,
            cloudIntegrationId = connection.IntegrationId,
            folderpath = folder,
            name = TestUsers.UniqueName("Project"),
        }).ReadDataAsync(HttpStatusCode.Created)).GetProperty("_id").GetString()!;

    private static async Task<JsonElement> ListAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {body}");
        var root = JsonDocument.Parse(body).RootElement.Clone();
        Assert.True(root.GetProperty("success").GetBoolean());
        return root;
    }

    private static List<string> Names(JsonElement page) => [.. page.GetProperty("data").EnumerateArray().Select(f => f.GetProperty("name").GetString()!)];

    [Fact]
    public async Task ListsTheProjectFolder_WithTheGuidesFields()
    {
        var s = await SetUpAsync();
        var page = await ListAsync(s.Owner, s.FilesUrl);

        Assert.Equal(["a.txt", "B.jpg", "Sub"], Names(page));
        Assert.False(page.GetProperty("hasMore").GetBoolean());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
        var file = page.GetProperty("data")[0];
        Assert.Equal(24, file.GetProperty("_id").GetString()!.Length);
        Assert.Equal("/Projects/Shoot1/a.txt", file.GetProperty("path").GetString());
        Assert.Equal("text/plain", file.GetProperty("type").GetString());
        Assert.False(file.GetProperty("isFolder").GetBoolean());
        Assert.True(file.GetProperty("size").GetInt64() > 0);
        Assert.Equal(32, file.GetProperty("checksum").GetString()!.Length); // Drive's md5, hex
        Assert.Equal(JsonValueKind.String, file.GetProperty("modifiedTime").ValueKind);
        Assert.Equal(factory.Fake.Google.Files.FindByPath("/Projects/Shoot1/a.txt")!.Id, file.GetProperty("providerFileId").GetString());
        Assert.True(page.GetProperty("data")[2].GetProperty("isFolder").GetBoolean());

        // Subfolders by relative path, by absolute path inside the project, by folderId.
        var sub = page.GetProperty("data")[2];
        Assert.Equal(["c.txt", "Deep"], Names(await ListAsync(s.Owner, s.FilesUrl + "?path=Sub")));
        Assert.Equal(["c.txt", "Deep"], Names(await ListAsync(s.Owner, s.FilesUrl + "?path=/Projects/Shoot1/Sub")));
        Assert.Equal(["c.txt", "Deep"], Names(await ListAsync(s.Owner, s.FilesUrl + "?path=/Sub")));
        Assert.Equal(["c.txt", "Deep"], Names(await ListAsync(s.Owner, $"{s.FilesUrl}?folderId={sub.GetProperty("_id").GetString()}")));
        Assert.Equal(["c.txt", "Deep"], Names(await ListAsync(s.Owner, $"{s.FilesUrl}?folderId={sub.GetProperty("providerFileId").GetString()}")));
        Assert.Equal(["Sub"], Names(await ListAsync(s.Owner, s.FilesUrl + "?type=folders")));
        Assert.Equal(["a.txt", "B.jpg"], Names(await ListAsync(s.Owner, s.FilesUrl + "?type=files")));
        Assert.Equal(["Sub", "B.jpg", "a.txt"], Names(await ListAsync(s.Owner, s.FilesUrl + "?sort=-name")));
    }

    [Fact]
    public async Task Paging_IsStableAcrossPages_EvenWhenTheFolderChangesBetweenThem()
    {
        var s = await SetUpAsync();
        var url = s.FilesUrl + "?path=Sub/Deep&limit=10";
        var seen = new List<string>();
        var first = await ListAsync(s.Owner, url);
        Assert.True(first.GetProperty("hasMore").GetBoolean());
        seen.AddRange(Names(first));

        // A file sorting before everything seen so far arrives between pages: it must not shift the next page.
        factory.Fake.Google.Files.AddFile(factory.Fake.Google.Files.FindByPath("/Projects/Shoot1/Sub/Deep")!, "aaa-new.txt");
        await SyncOkAsync(factory, s.Connection.IntegrationId);

        var cursor = first.GetProperty("nextCursor").GetString();
        while (cursor is not null)
        {
            var page = await ListAsync(s.Owner, $"{url}&cursor={Uri.EscapeDataString(cursor)}");
            seen.AddRange(Names(page));
            cursor = page.GetProperty("hasMore").GetBoolean() ? page.GetProperty("nextCursor").GetString() : null;
        }

        var expected = Enumerable.Range(1, 30).Select(i => $"bulk-{i:000}.txt").Append("d.txt").Order(StringComparer.OrdinalIgnoreCase).ToList();
        Assert.Equal(expected, seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());

        // By size, descending, all pages together hold every item exactly once.
        var bySize = new List<string>();
        string? next = null;
        do
        {
            var page = await ListAsync(s.Owner, s.FilesUrl + "?path=Sub/Deep&limit=7&sort=-size" + (next is null ? "" : "&cursor=" + Uri.EscapeDataString(next)));
            bySize.AddRange(Names(page));
            next = page.GetProperty("nextCursor").GetString();
        }
        while (next is not null);
        Assert.Equal(32, bySize.Distinct().Count());
    }

    [Fact]
    public async Task Search_IsCaseInsensitive_AcrossTheProjectTreeOnly()
    {
        var s = await SetUpAsync();
        var page = await ListAsync(s.Owner, s.FilesUrl + "?search=A.TXT&limit=1000");
        // /Projects/Other/a.txt is another project's folder: not found from this one.
        Assert.Equal(["/Projects/Shoot1/a.txt"], page.GetProperty("data").EnumerateArray().Select(f => f.GetProperty("path").GetString()));

        var bulk = await ListAsync(s.Owner, s.FilesUrl + "?search=bulk-0&limit=1000");
        Assert.Equal(30, bulk.GetProperty("data").GetArrayLength());
        Assert.Empty((await ListAsync(s.Owner, s.FilesUrl + "?search=%25")).GetProperty("data").EnumerateArray());
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../Other")]
    [InlineData("Sub/../../Other")]
    [InlineData("/Projects/Other")]
    [InlineData("/etc/passwd")]
    [InlineData("%2e%2e/Other")]
    [InlineData("Sub/./c.txt")]
    public async Task PathsOutsideTheProjectFolder_AreRefused(string path)
    {
        var s = await SetUpAsync();
        var response = await s.Owner.GetAsync($"{s.FilesUrl}?path={path}");
        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "file/invalid-path");
    }

    [Fact]
    public async Task IdsOutsideTheProject_AreNotFound_AndBadQueriesAre400()
    {
        var s = await SetUpAsync();
        var other = await ListAsync(s.Owner, $"/api/v1/projects/{s.OtherProjectId}/files");
        var otherFileId = other.GetProperty("data")[0].GetProperty("_id").GetString();
        await (await s.Owner.GetAsync($"{s.FilesUrl}?folderId={otherFileId}")).AssertErrorAsync(HttpStatusCode.NotFound, "file/folder-not-found");
        await (await s.Owner.GetAsync($"{s.FilesUrl}/{otherFileId}/download")).AssertErrorAsync(HttpStatusCode.NotFound, "file/not-found");
        await (await s.Owner.GetAsync($"{s.FilesUrl}?path=Missing")).AssertErrorAsync(HttpStatusCode.NotFound, "file/folder-not-found");

        foreach (var query in new[] { "limit=0", "limit=1001", "limit=ten", "type=pictures", "sort=colour", "cursor=not-a-cursor", "live=maybe", "order=sideways" })
        {
            var error = await (await s.Owner.GetAsync($"{s.FilesUrl}?{query}")).AssertErrorAsync(HttpStatusCode.BadRequest, "file/invalid-query");
            Assert.Equal(JsonValueKind.Object, error.GetProperty("details").ValueKind);
        }

        // A cursor from another sort order is refused rather than misread.
        var page = await ListAsync(s.Owner, s.FilesUrl + "?path=Sub/Deep&limit=5");
        await (await s.Owner.GetAsync($"{s.FilesUrl}?path=Sub/Deep&sort=size&cursor={page.GetProperty("nextCursor").GetString()}"))
            .AssertErrorAsync(HttpStatusCode.BadRequest, "file/invalid-query");
    }

    [Fact]
    public async Task OnlyMembersOfTheProject_SeeItsFiles()
    {
        var s = await SetUpAsync();
        var memberId = TestUsers.NewSubject("member");
        var response = await s.Owner.PostJsonAsync($"/api/v1/projects/{s.ProjectId}/members", new { userId = memberId, role = "MEMBER" });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(3, (await ListAsync(factory.CreateClientFor(memberId), s.FilesUrl)).GetProperty("data").GetArrayLength());

        // A member of another project of the same tenant, a stranger, another tenant's owner, nobody signed in.
        var otherMemberId = TestUsers.NewSubject("other-member");
        await s.Owner.PostJsonAsync($"/api/v1/projects/{s.OtherProjectId}/members", new { userId = otherMemberId, role = "OWNER" });
        var otherTenantOwner = factory.CreateClientFor(TestUsers.NewSubject("other-owner"));
        await otherTenantOwner.CreateTenantAsync();
        foreach (var client in new[] { factory.CreateClientFor(otherMemberId), factory.CreateClientFor(TestUsers.NewSubject("stranger")), otherTenantOwner })
        {
            // Non-members get the answer a missing project gets (docs/api.md, "Who sees what").
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(s.FilesUrl)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(s.FilesUrl + "?live=true")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync(s.FilesUrl)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(FileSyncHarness))]
    public async Task LiveListing_ReadsTheProviderDirectly(FakeProvider provider)
    {
        var s = await SetUpAsync(provider);
        var drive = State(factory, provider).Files;
        drive.AddFile(drive.FindByPath("/Projects/Shoot1")!, "just-uploaded.txt");

        Assert.DoesNotContain("just-uploaded.txt", Names(await ListAsync(s.Owner, s.FilesUrl)));
        var names = new List<string>();
        string? cursor = null;
        do
        {
            var page = await ListAsync(s.Owner, s.FilesUrl + "?live=true&limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            names.AddRange(Names(page));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(["a.txt", "B.jpg", "just-uploaded.txt", "Sub"], names.Order(StringComparer.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(FileSyncHarness))]
    public async Task DownloadLink_ReturnsTheFilesContent(FakeProvider provider)
    {
        var s = await SetUpAsync(provider);
        var file = (await ListAsync(s.Owner, s.FilesUrl)).GetProperty("data")[0];
        var link = await s.Owner.GetAsync($"{s.FilesUrl}/{file.GetProperty("_id").GetString()}/download").ReadDataAsync();
        var url = link.GetProperty("url").GetString()!;
        Assert.True(link.GetProperty("expiresAt").GetDateTime() > DateTime.UtcNow);

        // Drive streams through our proxy (on the test server); the others hand out the provider's own short-lived link.
        using var anonymous = provider == FakeProvider.Google ? factory.CreateClient() : new HttpClient();
        var content = await anonymous.GetAsync(provider == FakeProvider.Google ? new Uri(url).PathAndQuery : url);
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        var expected = State(factory, provider).Files.FindByPath("/Projects/Shoot1/a.txt")!.Content!;
        Assert.Equal(expected, await content.Content.ReadAsByteArrayAsync());

        var folder = (await ListAsync(s.Owner, s.FilesUrl + "?type=folders")).GetProperty("data")[0].GetProperty("_id").GetString();
        await (await s.Owner.GetAsync($"{s.FilesUrl}/{folder}/download")).AssertErrorAsync(HttpStatusCode.BadRequest, "file/is-folder");
    }

    [Fact]
    public async Task DownloadProxy_RefusesForgedOrMissingTokens()
    {
        var client = factory.CreateClient();
        await (await client.GetAsync("/api/v1/downloads?token=mwap:v1:forged:AAAA")).AssertErrorAsync(HttpStatusCode.NotFound, "file/link-expired");
        await (await client.GetAsync("/api/v1/downloads")).AssertErrorAsync(HttpStatusCode.NotFound, "file/link-expired");
    }

    [Fact]
    public async Task SyncRequest_IsForTheTenantOwner_AndShowsInTheIntegrationsSyncStatus()
    {
        var s = await SetUpAsync(FakeProvider.Dropbox);
        var url = $"{s.Connection.IntegrationUrl}/sync";
        var accepted = await s.Owner.PostAsync(url + "?full=true", null).ReadDataAsync(HttpStatusCode.Accepted);
        Assert.False(string.IsNullOrEmpty(accepted.GetProperty("jobId").GetString()));
        Assert.True(accepted.GetProperty("full").GetBoolean());

        var integration = await s.Owner.GetAsync(s.Connection.IntegrationUrl).ReadDataAsync();
        var status = integration.GetProperty("syncStatus");
        Assert.Equal("queued", status.GetProperty("state").GetString());
        Assert.Equal(State(factory, FakeProvider.Dropbox).Files.Count, status.GetProperty("filesIndexed").GetInt64());
        Assert.Equal(JsonValueKind.String, status.GetProperty("lastSync").ValueKind);
        Assert.False(integration.GetRawText().Contains("cursor", StringComparison.OrdinalIgnoreCase));

        var memberId = TestUsers.NewSubject("member");
        await s.Owner.PostJsonAsync($"/api/v1/projects/{s.ProjectId}/members", new { userId = memberId, role = "OWNER" });
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.CreateClientFor(memberId).PostAsync(url, null)).StatusCode);
        var stranger = factory.CreateClientFor(TestUsers.NewSubject("stranger"));
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.PostAsync(url, null)).StatusCode);
    }
}
