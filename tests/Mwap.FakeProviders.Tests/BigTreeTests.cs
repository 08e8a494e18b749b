using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Mwap.FakeProviders.Tests;

/// <summary>
/// The file index walks drives of 100,000 files; the fakes must build and page them in seconds. The time limits are
/// loose (shared CI machines are slow) but catch a per-request scan of the whole drive turning a walk quadratic.
/// </summary>
public sealed class BigTreeTests : IAsyncLifetime
{
    private const int Files = 100_000;

    private readonly HttpClient _http = new();
    private FakeProviderServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FakeProviderServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public void AddTree_BuildsNestedFoldersHoldingFilesAndSubfolders_Fast()
    {
        var files = _server.Google.Files;

        var timer = Stopwatch.StartNew();
        var folders = files.AddTree(files.Root, Files, filesPerFolder: 1000, foldersPerFolder: 10);

        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(10), $"took {timer.Elapsed}");
        Assert.Equal(Files + folders.Count, files.Count);
        Assert.Equal(100, folders.Count);
        var top = files.Children(folders[0]);
        Assert.Equal((10, 1000), (top.Count(c => c.IsFolder), top.Count(c => !c.IsFolder)));
        Assert.Equal("/tree-0001/tree-0002/tree-0012/file-011001.txt", files.PathOf(files.Children(folders[11]).First(c => !c.IsFolder)));
    }

    [Fact]
    public async Task GoogleChangesFromTheFirstToken_PageThrough100kFilesAt1000()
    {
        var token = _server.Google.IssueTokens(["https://www.googleapis.com/auth/drive.readonly"]).AccessToken;
        _server.Google.Files.AddTree(_server.Google.Files.Root, Files);

        var (count, pages) = (0, 0);
        string? pageToken = "0";
        var timer = Stopwatch.StartNew();
        while (pageToken is not null)
        {
            using var page = await GetAsync(
                $"{_server.GoogleApiBaseUrl}/drive/v3/changes?pageToken={pageToken}&pageSize=1000&fields=nextPageToken,changes(fileId,file(name,parents,md5Checksum))", token);
            count += page.RootElement.GetProperty("changes").GetArrayLength();
            pageToken = page.RootElement.TryGetProperty("nextPageToken", out var next) ? next.GetString() : null;
            pages++;
        }

        Assert.Equal(Files + 100, count);
        Assert.True(pages >= 101);
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(60), $"took {timer.Elapsed}");
    }

    [Fact]
    public async Task DropboxRecursiveListing_Pages100kFilesAt2000()
    {
        var token = _server.Dropbox.IssueTokens().AccessToken;
        _server.Dropbox.Files.AddTree(_server.Dropbox.Files.Root, Files);
        var timer = Stopwatch.StartNew();

        var (entries, url, body) = (0, _server.DropboxApiBaseUrl + "/2/files/list_folder", """{"path":"","recursive":true,"limit":2000}""");
        while (true)
        {
            using var page = await PostAsync(url, token, body);
            entries += page.RootElement.GetProperty("entries").GetArrayLength();
            if (!page.RootElement.GetProperty("has_more").GetBoolean())
            {
                break;
            }

            (url, body) = (_server.DropboxApiBaseUrl + "/2/files/list_folder/continue", $$"""{"cursor":"{{page.RootElement.GetProperty("cursor").GetString()}}"}""");
        }

        Assert.Equal(Files + 100, entries);
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(60), $"took {timer.Elapsed}");
    }

    [Fact]
    public async Task GraphDelta_Enumerates100kFilesAt1000()
    {
        var token = _server.Microsoft.IssueTokens(["Files.Read"]).AccessToken;
        _server.Microsoft.Files.AddTree(_server.Microsoft.Files.Root, Files);
        var timer = Stopwatch.StartNew();

        var items = 0;
        string? next = _server.GraphApiBaseUrl + "/v1.0/me/drive/root/delta?$top=1000";
        while (next is not null)
        {
            using var page = await GetAsync(next, token);
            items += page.RootElement.GetProperty("value").GetArrayLength();
            next = page.RootElement.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
        }

        Assert.Equal(Files + 101, items);
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(60), $"took {timer.Elapsed}");
    }

    private async Task<JsonDocument> GetAsync(string url, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await ReadAsync(await _http.SendAsync(request));
    }

    private async Task<JsonDocument> PostAsync(string url, string token, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await ReadAsync(await _http.SendAsync(request));
    }

    private static async Task<JsonDocument> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        }
    }
}
