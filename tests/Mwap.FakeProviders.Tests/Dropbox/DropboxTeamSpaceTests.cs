using System.Net;
using Mwap.FakeProviders.Dropbox;
using static Mwap.FakeProviders.Tests.JsonAssert;

namespace Mwap.FakeProviders.Tests.Dropbox;

/// <summary>A team space: without <c>Dropbox-API-Path-Root</c> only the home namespace is visible, as at Dropbox.</summary>
public sealed class DropboxTeamSpaceTests : IAsyncLifetime
{
    private const string PathRoot = "Dropbox-API-Path-Root";
    private readonly OAuthClient _client = new();
    private FakeProviderServer _server = null!;
    private string _token = "";

    public async ValueTask InitializeAsync()
    {
        _server = await FakeProviderServer.StartAsync();
        _token = _server.Dropbox.IssueTokens().AccessToken;
        _server.Dropbox.DropboxTeamSpace = new DropboxTeamSpace("/Alice Fake");
        _server.Dropbox.Files.AddFile(_server.Dropbox.Files.AddFolder("/Alice Fake/Projects"), "mine.txt");
        _server.Dropbox.Files.AddFile(_server.Dropbox.Files.AddFolder("/Team Folder"), "shared.txt");
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task CurrentAccount_ReportsATeamRootDifferentFromHome()
    {
        var (status, body, _) = await _client.SendAsync(HttpMethod.Post, $"{_server.DropboxApiBaseUrl}/2/users/get_current_account", _token);

        Assert.Equal(HttpStatusCode.OK, status);
        var root = Object(body)["root_info"]!;
        Assert.Equal("team", Str(root, ".tag"));
        Assert.Equal("7766554433", Str(root, "root_namespace_id"));
        Assert.Equal("3235641", Str(root, "home_namespace_id"));
        Assert.Equal("/Alice Fake", Str(root, "home_path"));
    }

    [Fact]
    public async Task WithoutTheHeader_OnlyTheHomeNamespace_WithPathsRelativeToIt()
    {
        var paths = await ListAsync();

        Assert.Equal(["/projects", "/projects/mine.txt"], paths);
        var (status, _, _) = await _client.PostJsonAsync(Url("get_metadata"), _token, """{"path":"/Team Folder/shared.txt"}""");
        Assert.Equal(HttpStatusCode.Conflict, status);
    }

    [Fact]
    public async Task WithTheRootHeader_TheWholeTeamSpace_OnEveryFileCall()
    {
        var header = (PathRoot, """{".tag":"root","root":"7766554433"}""");

        var paths = await ListAsync(header);
        var (metaStatus, meta, _) = await _client.PostJsonAsync(Url("get_metadata"), _token, """{"path":"/Team Folder/shared.txt"}""", header);
        var (linkStatus, link, _) = await _client.PostJsonAsync(Url("get_temporary_link"), _token, """{"path":"/team folder/shared.txt"}""", header);

        Assert.Equal(["/alice fake", "/alice fake/projects", "/alice fake/projects/mine.txt", "/team folder", "/team folder/shared.txt"], paths);
        Assert.Equal(HttpStatusCode.OK, metaStatus);
        Assert.Equal("/Team Folder/shared.txt", Str(Object(meta), "path_display"));
        Assert.Equal(HttpStatusCode.OK, linkStatus);
        var (_, content, _) = await _client.SendAsync(HttpMethod.Get, Str(Object(link), "link"), null);
        Assert.Equal("Fake content of shared.txt\n", content);
    }

    [Fact]
    public async Task AStaleRoot_Is422InvalidRootWithTheFreshRootInfo_AndAForeignNamespaceIs422NoPermission()
    {
        _server.Dropbox.DropboxTeamSpace!.RootNamespaceId = "9988776655";

        var (staleStatus, stale, _) = await _client.PostJsonAsync(Url("list_folder"), _token, """{"path":""}""",
            (PathRoot, """{".tag":"root","root":"7766554433"}"""));
        var (foreignStatus, foreign, _) = await _client.PostJsonAsync(Url("list_folder"), _token, """{"path":""}""",
            (PathRoot, """{".tag":"namespace_id","namespace_id":"123"}"""));
        var (badStatus, _, _) = await _client.PostJsonAsync(Url("list_folder"), _token, """{"path":""}""", (PathRoot, "nope"));

        Assert.Equal((HttpStatusCode)422, staleStatus);
        var error = Object(stale)["error"]!;
        Assert.Equal("invalid_root", Str(error, ".tag"));
        Assert.Equal("9988776655", Str(error["invalid_root"], "root_namespace_id"));
        Assert.Equal((HttpStatusCode)422, foreignStatus);
        Assert.Equal("no_permission", Str(Object(foreign)["error"], ".tag"));
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
    }

    private async Task<List<string>> ListAsync(params (string, string)[] headers)
    {
        var (status, body, _) = await _client.PostJsonAsync(Url("list_folder"), _token, """{"path":"","recursive":true}""", headers);
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. Object(body)["entries"]!.AsArray().Select(e => Str(e, "path_lower")).Order(StringComparer.Ordinal)];
    }

    private string Url(string route) => $"{_server.DropboxApiBaseUrl}/2/files/{route}";
}
