using System.Net;
using static Mwap.FakeProviders.Tests.JsonAssert;

namespace Mwap.FakeProviders.Tests.Dropbox;

public sealed class DropboxFilesTests : IAsyncLifetime
{
    private readonly OAuthClient _client = new();
    private FakeProviderServer _server = null!;
    private string _token = "";

    public async ValueTask InitializeAsync()
    {
        _server = await FakeProviderServer.StartAsync();
        _token = _server.Dropbox.IssueTokens().AccessToken;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ListFolder_ThenContinue_WhileHasMore_ReturnsEveryEntryWithTags()
    {
        var folder = _server.Dropbox.Files.AddFolder("/Projects");
        _server.Dropbox.Files.AddFolder(folder, "Sub");
        _server.Dropbox.Files.AddFiles(folder, 4, "Doc");

        var (status, body, _) = await _client.PostJsonAsync(Url("list_folder"), _token, """{"path":"/projects","recursive":false,"limit":2}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var page = Object(body);
        var entries = page["entries"]!.AsArray().ToList();
        while (page["has_more"]!.GetValue<bool>())
        {
            var (_, next, _) = await _client.PostJsonAsync(Url("list_folder/continue"), _token, $$"""{"cursor":"{{Str(page, "cursor")}}"}""");
            page = Object(next);
            entries.AddRange(page["entries"]!.AsArray());
        }

        Assert.Equal(5, entries.Count);
        Assert.Equal("folder", Str(entries[0], ".tag"));
        Assert.Equal("/projects/doc-001.txt", Str(entries[1], "path_lower"));
        Assert.Equal("/Projects/Doc-001.txt", Str(entries[1], "path_display"));
        Assert.Equal("file", Str(entries[1], ".tag"));
        Assert.StartsWith("id:", Str(entries[1], "id"), StringComparison.Ordinal);
        Assert.Equal(64, Str(entries[1], "content_hash").Length);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", Str(entries[1], "server_modified"));
    }

    [Fact]
    public async Task ListFolder_RootIsEmptyString_SlashIs400PlainText_MissingIs409NotFound()
    {
        var (rootStatus, _, _) = await _client.PostJsonAsync(Url("list_folder"), _token, """{"path":""}""");
        var (slashStatus, slashBody, slashResponse) = await _client.PostJsonAsync(Url("list_folder"), _token, """{"path":"/"}""");
        var (missingStatus, missingBody, _) = await _client.PostJsonAsync(Url("list_folder"), _token, """{"path":"/nope"}""");

        Assert.Equal(HttpStatusCode.OK, rootStatus);
        Assert.Equal(HttpStatusCode.BadRequest, slashStatus);
        Assert.Equal("text/plain", slashResponse.Content.Headers.ContentType!.MediaType);
        Assert.Contains("empty string", slashBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, missingStatus);
        Assert.Equal("not_found", Str(Object(missingBody)["error"]!["path"], ".tag"));
    }

    [Fact]
    public async Task InvalidatedCursor_Is409Reset()
    {
        _server.Dropbox.Files.AddFiles(_server.Dropbox.Files.Root, 3);
        var (_, body, _) = await _client.PostJsonAsync(Url("list_folder"), _token, """{"path":"","limit":1}""");
        _server.Dropbox.InvalidateCursors();

        var (status, reset, _) = await _client.PostJsonAsync(Url("list_folder/continue"), _token, $$"""{"cursor":"{{Str(Object(body), "cursor")}}"}""");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("reset", Str(Object(reset)["error"], ".tag"));
    }

    [Fact]
    public async Task TemporaryLink_ServesTheBytesWithoutAuth()
    {
        _server.Dropbox.Files.AddFile(_server.Dropbox.Files.Root, "hello.txt", "hi"u8.ToArray());

        var (status, body, _) = await _client.PostJsonAsync(Url("get_temporary_link"), _token, """{"path":"/HELLO.txt"}""");
        var link = Str(Object(body), "link");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("hi", await _client.Http.GetStringAsync(link));
    }

    private string Url(string route) => $"{_server.DropboxApiBaseUrl}/2/files/{route}";
}
