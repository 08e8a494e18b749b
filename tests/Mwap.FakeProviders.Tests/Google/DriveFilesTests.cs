using System.Net;
using System.Security.Cryptography;
using System.Text;
using static Mwap.FakeProviders.Tests.JsonAssert;

namespace Mwap.FakeProviders.Tests.Google;

public sealed class DriveFilesTests : IAsyncLifetime
{
    private readonly OAuthClient _client = new();
    private FakeProviderServer _server = null!;
    private string _token = "";

    public async ValueTask InitializeAsync()
    {
        _server = await FakeProviderServer.StartAsync();
        _token = _server.Google.IssueTokens(["https://www.googleapis.com/auth/drive.readonly"]).AccessToken;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Export_DocsEditorFiles_ToTheirFormats_WithTheSizeLimit_AndNothingElse()
    {
        var files = _server.Google.Files;
        var doc = files.AddFile(files.Root, "Plan", mimeType: "application/vnd.google-apps.document");
        var big = files.AddFile(files.Root, "Big", mimeType: "application/vnd.google-apps.spreadsheet");
        var binary = files.AddFile(files.Root, "a.txt");
        _server.Google.MakeExportTooLarge(big.Id);
        string Url(string id, string mime) => $"{_server.GoogleApiBaseUrl}/drive/v3/files/{id}/export?mimeType={Uri.EscapeDataString(mime)}";

        var (status, body, response) = await _client.SendAsync(HttpMethod.Get, Url(doc.Id, "application/pdf"), _token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Plan exported as application/pdf", body, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, (await _client.SendAsync(HttpMethod.Get, Url(doc.Id, "text/csv"), _token)).Status);
        var (tooLarge, tooLargeBody, _) = await _client.SendAsync(HttpMethod.Get, Url(big.Id, "text/csv"), _token);
        Assert.Equal(HttpStatusCode.Forbidden, tooLarge);
        Assert.Contains("exportSizeLimitExceeded", tooLargeBody, StringComparison.Ordinal);
        var (notExportable, notExportableBody, _) = await _client.SendAsync(HttpMethod.Get, Url(binary.Id, "application/pdf"), _token);
        Assert.Equal(HttpStatusCode.Forbidden, notExportable);
        Assert.Contains("fileNotExportable", notExportableBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DriveSearchFault_OrOfParents_IsEmptyOrIncomplete_WhileOneParentIsServed()
    {
        var files = _server.Google.Files;
        var a = files.AddFolder("/A");
        var b = files.AddFolder("/B");
        files.AddFiles(a, 4, "a");
        files.AddFiles(b, 4, "b");
        string Url(string q) => $"{_server.GoogleApiBaseUrl}/drive/v3/files?q={Uri.EscapeDataString(q)}&fields=nextPageToken,incompleteSearch,files(id,name)";
        var both = Url($"('{a.Id}' in parents or '{b.Id}' in parents) and trashed = false");
        var one = Url($"'{a.Id}' in parents and trashed = false");

        var (_, normal, _) = await _client.GetJsonAsync(both, _token);
        Assert.Equal(8, normal!["files"]!.AsArray().Count);

        _server.Google.DriveSearchFault = DriveSearchFault.EmptyForSeveralParents;
        var (status, empty, _) = await _client.GetJsonAsync(both, _token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(empty!["files"]!.AsArray());
        Assert.Null(empty["nextPageToken"]);
        Assert.False(empty["incompleteSearch"]!.GetValue<bool>());
        Assert.Equal(4, (await _client.GetJsonAsync(one, _token)).Body!["files"]!.AsArray().Count);

        _server.Google.DriveSearchFault = DriveSearchFault.IncompleteForSeveralParents;
        var (_, partial, _) = await _client.GetJsonAsync(both, _token);
        Assert.True(partial!["incompleteSearch"]!.GetValue<bool>());
        Assert.Equal(4, partial["files"]!.AsArray().Count);
        var (_, single, _) = await _client.GetJsonAsync(one, _token);
        Assert.False(single!["incompleteSearch"]!.GetValue<bool>());

        _server.Google.DriveSearchFault = DriveSearchFault.IncompleteAlways;
        Assert.True((await _client.GetJsonAsync(one, _token)).Body!["incompleteSearch"]!.GetValue<bool>());
    }

    [Fact]
    public async Task List_InParents_PagesThroughEveryChildWithNextPageToken()
    {
        var folder = _server.Google.Files.AddFolder("/Reports");
        _server.Google.Files.AddFiles(folder, 7);
        _server.Google.Files.Trash(_server.Google.Files.AddFile(folder, "old.txt"));
        _server.Google.ShortPages = true;

        var names = new List<string>();
        var pages = 0;
        string? pageToken = null;
        do
        {
            var q = Uri.EscapeDataString($"'{folder.Id}' in parents and trashed = false");
            var url = $"{_server.GoogleApiBaseUrl}/drive/v3/files?q={q}&pageSize=3&fields=nextPageToken,files(id,name,size,parents)"
                + (pageToken is null ? "" : "&pageToken=" + pageToken);
            var (status, body, _) = await _client.GetJsonAsync(url, _token);
            Assert.Equal(HttpStatusCode.OK, status);
            names.AddRange(body!["files"]!.AsArray().Select(f => Str(f, "name")));
            Assert.All(body["files"]!.AsArray(), f => Assert.Equal(folder.Id, f!["parents"]![0]!.GetValue<string>()));
            pageToken = body["nextPageToken"]?.GetValue<string>();
            pages++;
        }
        while (pageToken is not null);

        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"file-{i:000}.txt"), names);
        Assert.True(pages > 3, "short pages (including an empty first one) must not end the listing");
    }

    [Fact]
    public async Task List_WithFieldsWithoutNextPageToken_OmitsIt_AndSizeIsAString()
    {
        _server.Google.Files.AddFiles(_server.Google.Files.Root, 3);

        var (_, body, _) = await _client.GetJsonAsync(
            $"{_server.GoogleApiBaseUrl}/drive/v3/files?q='root' in parents&pageSize=2&fields=files(id,name,size,sha256Checksum)", _token);

        Assert.Equal(["files"], Keys(body!.AsObject()));
        var file = body["files"]![0]!;
        Assert.Equal(System.Text.Json.JsonValueKind.String, file["size"]!.GetValueKind());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("Fake content of file-001.txt\n"))), Str(file, "sha256Checksum"));
    }

    [Fact]
    public async Task List_WithoutFields_ReturnsKindIdNameMimeTypeOnly()
    {
        _server.Google.Files.AddFolder("/Only");

        var (_, body, _) = await _client.GetJsonAsync($"{_server.GoogleApiBaseUrl}/drive/v3/files", _token);

        Assert.Equal("drive#fileList", Str(body, "kind"));
        Assert.Equal(["id", "kind", "mimeType", "name"], Keys(body!["files"]![0]!.AsObject()));
        Assert.Equal("application/vnd.google-apps.folder", Str(body["files"]![0], "mimeType"));
    }

    [Fact]
    public async Task SharedDriveItems_AreHiddenUnlessBothAllDrivesFlagsAreSent()
    {
        _server.Google.Files.AddFile(_server.Google.Files.Root, "team.txt", sharedDriveId: "0AteamDrive");
        var url = $"{_server.GoogleApiBaseUrl}/drive/v3/files?q=name = 'team.txt'";

        var (_, hidden, _) = await _client.GetJsonAsync(url, _token);
        var (_, shown, _) = await _client.GetJsonAsync(url + "&supportsAllDrives=true&includeItemsFromAllDrives=true", _token);

        Assert.Empty(hidden!["files"]!.AsArray());
        Assert.Single(shown!["files"]!.AsArray());
    }

    [Fact]
    public async Task Download_BinaryReturnsBytes_NativeDocIs403FileNotDownloadable()
    {
        var files = _server.Google.Files;
        var binary = files.AddFile(files.Root, "a.bin", [1, 2, 3]);
        var doc = files.AddFile(files.Root, "Plan", mimeType: "application/vnd.google-apps.document");

        using var bytes = await _client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{_server.GoogleApiBaseUrl}/drive/v3/files/{binary.Id}?alt=media")
        {
            Headers = { Authorization = new("Bearer", _token) },
        });
        var (status, body, _) = await _client.GetJsonAsync($"{_server.GoogleApiBaseUrl}/drive/v3/files/{doc.Id}?alt=media", _token);

        Assert.Equal(new byte[] { 1, 2, 3 }, await bytes.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("fileNotDownloadable", Str(body!["error"]!["errors"]![0], "reason"));
    }

    [Fact]
    public async Task BadQuery_Is400Invalid()
    {
        var (status, body, _) = await _client.GetJsonAsync($"{_server.GoogleApiBaseUrl}/drive/v3/files?q=parents has 'x'", _token);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("q", Str(body!["error"]!["errors"]![0], "location"));
    }
}
