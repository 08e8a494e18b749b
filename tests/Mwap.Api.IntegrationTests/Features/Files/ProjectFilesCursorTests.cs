using System.Net;
using System.Text.Json;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using static Mwap.Api.IntegrationTests.Features.Files.FileSyncHarness;

namespace Mwap.Api.IntegrationTests.Features.Files;

/// <summary>
/// Issue 11 items 1–2: every cursor is sealed and bound to its listing, and a live listing never shows anything outside
/// the project's folder (no caller-chosen Graph URL, no fallback to the drive's root).
/// </summary>
public sealed class ProjectFilesCursorTests(FileSyncApiFactory factory) : IClassFixture<FileSyncApiFactory>
{
    private sealed record Scenario(Connection Connection, string ProjectId, string OtherProjectId, string TypeId)
    {
        public HttpClient Owner => Connection.Owner;

        public string FilesUrl => $"/api/v1/projects/{ProjectId}/files";
    }

    private async Task<Scenario> SetUpAsync(FakeProvider provider, bool sync = true)
    {
        var connection = await ConnectAsync(factory, provider);
        BuildTree(State(factory, provider).Files);
        if (sync)
        {
            await SyncOkAsync(factory, connection.IntegrationId);
        }

        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var typeId = (await admin.CreateProjectTypeAsync()).GetProperty("_id").GetString()!;
        return new Scenario(connection, await CreateProjectAsync(connection, typeId, "/Projects/Shoot1"),
            await CreateProjectAsync(connection, typeId, "/Projects/Other"), typeId);
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

    private static async Task<JsonElement> PageAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static string Cursor(string value) => "&cursor=" + Uri.EscapeDataString(value);

    [Fact]
    public async Task ForgedGraphNextLink_Is400_AndNothingIsListed()
    {
        var s = await SetUpAsync(FakeProvider.Microsoft);
        var member = TestUsers.NewSubject("member");
        await s.Owner.PostJsonAsync($"/api/v1/projects/{s.ProjectId}/members", new { userId = member, role = "MEMBER" });
        var client = factory.CreateClientFor(member);
        var calls = State(factory, FakeProvider.Microsoft).ApiRequestCount("/v1.0/me/drive");

        // The attack of the review, on the fake's own host (which the old host check let through) and on Graph's.
        foreach (var forged in new[]
                 {
                     factory.Fake.GraphApiBaseUrl + "/v1.0/me/drive/root/children",
                     factory.Fake.GraphApiBaseUrl + "/v1.0/me/drive/root/search(q='')",
                     "https://graph.microsoft.com/v1.0/me/drive/root/children",
                 })
        {
            await (await client.GetAsync(s.FilesUrl + "?live=true" + Cursor(forged))).AssertErrorAsync(HttpStatusCode.BadRequest, "file/invalid-query");
        }

        Assert.Equal(calls, State(factory, FakeProvider.Microsoft).ApiRequestCount("/v1.0/me/drive"));
    }

    [Theory]
    [MemberData(nameof(Providers), MemberType = typeof(FileSyncHarness))]
    public async Task LiveCursor_OnlyWorksForTheListingThatIssuedIt(FakeProvider provider)
    {
        var s = await SetUpAsync(provider);
        var first = await PageAsync(s.Owner, s.FilesUrl + "?live=true&limit=1");
        var cursor = first.GetProperty("nextCursor").GetString()!;
        Assert.True(first.GetProperty("hasMore").GetBoolean());

        var second = await PageAsync(s.Owner, s.FilesUrl + "?live=true&limit=1" + Cursor(cursor));
        Assert.NotEqual(first.GetProperty("data")[0].GetProperty("name").GetString(), second.GetProperty("data")[0].GetProperty("name").GetString());

        await (await s.Owner.GetAsync($"/api/v1/projects/{s.OtherProjectId}/files?live=true&limit=1" + Cursor(cursor)))
            .AssertErrorAsync(HttpStatusCode.BadRequest, "file/invalid-query");
        await (await s.Owner.GetAsync(s.FilesUrl + "?live=true&limit=1&path=Sub" + Cursor(cursor)))
            .AssertErrorAsync(HttpStatusCode.BadRequest, "file/invalid-query");
        await (await s.Owner.GetAsync(s.FilesUrl + "?limit=1" + Cursor(cursor)))
            .AssertErrorAsync(HttpStatusCode.BadRequest, "file/invalid-query");
    }

    [Fact]
    public async Task IndexCursor_IsSealed_AndBoundToItsFolder()
    {
        var s = await SetUpAsync(FakeProvider.Dropbox);
        var first = await PageAsync(s.Owner, s.FilesUrl + "?limit=1");
        var cursor = first.GetProperty("nextCursor").GetString()!;
        Assert.Equal(2, (await PageAsync(s.Owner, s.FilesUrl + "?limit=2" + Cursor(cursor))).GetProperty("data").GetArrayLength());

        await (await s.Owner.GetAsync(s.FilesUrl + "?limit=1&path=Sub" + Cursor(cursor))).AssertErrorAsync(HttpStatusCode.BadRequest, "file/invalid-query");
        await (await s.Owner.GetAsync($"/api/v1/projects/{s.OtherProjectId}/files?limit=1" + Cursor(cursor)))
            .AssertErrorAsync(HttpStatusCode.BadRequest, "file/invalid-query");
        await (await s.Owner.GetAsync(s.FilesUrl + "?limit=1&sort=-name" + Cursor(cursor))).AssertErrorAsync(HttpStatusCode.BadRequest, "file/invalid-query");
    }

    [Fact]
    public async Task FolderBrowsingCursor_IsSealed_AndARawProviderTokenIs400()
    {
        var s = await SetUpAsync(FakeProvider.Microsoft);
        var url = s.Connection.IntegrationUrl + "/folders?path=/";
        var page = await PageAsync(s.Owner, url);
        Assert.True(page.GetProperty("success").GetBoolean());

        await (await s.Owner.GetAsync(url + Cursor(factory.Fake.GraphApiBaseUrl + "/v1.0/me/drive/root/children")))
            .AssertErrorAsync(HttpStatusCode.BadRequest, "file/invalid-query");
    }

    [Theory]
    [InlineData("/Projects/NotThere")]
    [InlineData("/Projects/Later")]
    public async Task GoogleLiveListing_OfAFolderNotInTheIndex_Is404_NotTheDriveRoot(string folder)
    {
        var s = await SetUpAsync(FakeProvider.Google);
        // "/Projects/Later" exists at Drive but the index has not seen it yet (no sync since).
        State(factory, FakeProvider.Google).Files.AddFolder("/Projects/Later");
        var projectId = await CreateProjectAsync(s.Connection, s.TypeId, folder);

        var response = await s.Owner.GetAsync($"/api/v1/projects/{projectId}/files?live=true");
        await response.AssertErrorAsync(HttpStatusCode.NotFound, "file/folder-not-found");
    }

    [Fact]
    public async Task GoogleLiveListing_BeforeTheFirstSync_Is404_ButARootProjectListsTheRoot()
    {
        var s = await SetUpAsync(FakeProvider.Google, sync: false);
        await (await s.Owner.GetAsync(s.FilesUrl + "?live=true")).AssertErrorAsync(HttpStatusCode.NotFound, "file/folder-not-found");

        var rootProject = await CreateProjectAsync(s.Connection, s.TypeId, "/");
        var page = await PageAsync(s.Owner, $"/api/v1/projects/{rootProject}/files?live=true");
        var names = page.GetProperty("data").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Contains("root.txt", names);
        Assert.Contains("Projects", names);
    }
}
