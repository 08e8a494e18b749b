using System.Net;
using System.Text.Json.Nodes;
using static Mwap.FakeProviders.Tests.JsonAssert;

namespace Mwap.FakeProviders.Tests.Microsoft;

public sealed class GraphDeltaTests : IAsyncLifetime
{
    private readonly OAuthClient _client = new();
    private FakeProviderServer _server = null!;
    private string _token = "";

    public async ValueTask InitializeAsync()
    {
        _server = await FakeProviderServer.StartAsync();
        _token = _server.Microsoft.IssueTokens(["Files.Read"]).AccessToken;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private string DeltaUrl => _server.GraphApiBaseUrl + "/v1.0/me/drive/root/delta";

    [Fact]
    public async Task FirstDelta_EnumeratesEverythingFromTheRoot_WithoutPaths_AndEndsWithADeltaLink()
    {
        var files = _server.Microsoft.Files;
        var music = files.AddFolder("/Music");
        files.AddFiles(music, 4, "track");
        files.AddFile(files.Root, "j.bin", [0x4A]);
        _server.Microsoft.ShortPages = true;

        var (items, pages, deltaLink) = await WalkAsync(DeltaUrl + "?$top=2");

        Assert.Equal(7, items.Count);
        Assert.Equal(files.Root.Id, Str(items[0], "id"));
        Assert.NotNull(items[0]["root"]);
        Assert.All(items, i => Assert.Null(i["parentReference"]!["path"]));
        Assert.All(items.Skip(1), i => Assert.NotNull(i["parentReference"]!["id"]));
        var j = items.Single(i => i["name"]?.GetValue<string>() == "j.bin");
        Assert.Equal("SgAAAAAAAAAAAAAAAQAAAAAAAAA=", Str(j["file"]!["hashes"], "quickXorHash"));
        Assert.Equal(new byte[] { 0x4A }, await _client.Http.GetByteArrayAsync(Str(j, "@microsoft.graph.downloadUrl")));
        Assert.True(pages > 4);
        Assert.StartsWith(DeltaUrl + "?token=", deltaLink, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeltaLink_ReportsChangesWithAncestors_DeletesWithoutName_AndNoDescendantsOnRename()
    {
        var files = _server.Microsoft.Files;
        var docs = files.AddFolder("/Docs");
        var inner = files.AddFolder("/Docs/Inner");
        var child = files.AddFile(inner, "child.txt");
        var moved = files.AddFile(files.Root, "moved.txt");
        var updated = files.AddFile(docs, "updated.txt");
        var old = files.AddFolder("/Old");
        var oldFile = files.AddFile(old, "gone.txt");
        var (_, _, deltaLink) = await WalkAsync(DeltaUrl);

        files.Rename(inner, "Renamed");
        files.Move(moved, docs);
        files.UpdateContent(updated, [7, 7, 7]);
        files.Delete(old);
        var (changes, _, next) = await WalkAsync(deltaLink);

        var last = changes.GroupBy(c => Str(c, "id")).ToDictionary(g => g.Key, g => g.Last());
        Assert.DoesNotContain(child.Id, last.Keys);
        Assert.Contains(files.Root.Id, last.Keys);
        Assert.Equal("Renamed", Str(last[inner.Id], "name"));
        Assert.Equal(docs.Id, Str(last[moved.Id]["parentReference"], "id"));
        Assert.Equal(3, last[updated.Id]["size"]!.GetValue<long>());
        Assert.NotNull(last[updated.Id]["@microsoft.graph.downloadUrl"]);
        foreach (var id in new[] { old.Id, oldFile.Id })
        {
            Assert.Equal("deleted", Str(last[id]["deleted"], "state"));
            Assert.Null(last[id]["name"]);
            Assert.Null(last[id]["parentReference"]!["path"]);
        }

        Assert.All(changes, c => Assert.Null(c["parentReference"]?["path"]));
        Assert.Empty((await WalkAsync(next)).Items);
    }

    [Fact]
    public async Task TokenLatest_IsEmptyWithACurrentDeltaLink()
    {
        var files = _server.Microsoft.Files;
        files.AddFiles(files.Root, 3);

        var (status, body, _) = await _client.GetJsonAsync(DeltaUrl + "?token=latest", _token);
        files.AddFile(files.Root, "after.txt");
        var (changes, _, _) = await WalkAsync(Str(body, "@odata.deltaLink"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(body!["value"]!.AsArray());
        Assert.Null(body["@odata.nextLink"]);
        Assert.Equal([files.Root.Id, "after.txt"], changes.Select(c => c["name"]?.GetValue<string>() == "after.txt" ? "after.txt" : Str(c, "id")));
    }

    [Fact]
    public async Task ExpiredTokens_Are410ResyncRequired_WithALocationThatRestartsTheEnumeration()
    {
        var files = _server.Microsoft.Files;
        files.AddFiles(files.Root, 3);
        var (_, first, _) = await _client.GetJsonAsync(DeltaUrl + "?$top=2", _token);
        var (_, _, deltaLink) = await WalkAsync(DeltaUrl);
        _server.Microsoft.ExpireChangeCursors();

        foreach (var link in new[] { Str(first, "@odata.nextLink"), deltaLink })
        {
            var (status, body, response) = await _client.GetJsonAsync(link, _token);
            Assert.Equal(HttpStatusCode.Gone, status);
            Assert.Equal("resyncRequired", Str(body!["error"], "code"));
            Assert.Equal("resyncChangesApplyDifferences", Str(body["error"]!["innerError"], "code"));
            Assert.NotNull(body["error"]!["innerError"]!["request-id"]);
            var (items, _, _) = await WalkAsync(response.Headers.Location!.ToString());
            Assert.Equal(4, items.Count);
        }
    }

    [Fact]
    public async Task DrivesRoute_AndAThrottledThirdPage()
    {
        var files = _server.Microsoft.Files;
        files.AddFiles(files.Root, 5);
        _server.Microsoft.EnqueueThrottle("/v1.0/drives", retryAfterSeconds: 5, skip: 2);
        var url = $"{_server.GraphApiBaseUrl}/v1.0/drives/{files.DriveId.ToLowerInvariant()}/root/delta?$top=2";

        var (_, first, _) = await _client.GetJsonAsync(url, _token);
        var (_, second, _) = await _client.GetJsonAsync(Str(first, "@odata.nextLink"), _token);
        var third = Str(second, "@odata.nextLink");
        var (throttled, body, response) = await _client.GetJsonAsync(third, _token);
        var (items, _, _) = await WalkAsync(third);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter!.Delta);
        Assert.Equal("activityLimitReached", Str(body!["error"], "code"));
        Assert.Equal(2, items.Count);
    }

    [Fact]
    public async Task DeltaPageLoop_WhenTopGiven_RepeatsTheContinuationPage_OnlyForRequestsWithTop()
    {
        var files = _server.Microsoft.Files;
        files.AddFiles(files.Root, 7, "loop");
        _server.Microsoft.DeltaPageLoop = GraphDeltaLoop.WhenTopGiven;

        // With $top: page 2 links to itself, again and again.
        var (_, first, _) = await _client.GetJsonAsync(DeltaUrl + "?$top=2", _token);
        var second = Str(first, "@odata.nextLink");
        var (_, page2, _) = await _client.GetJsonAsync(second, _token);
        Assert.Equal(second, Str(page2, "@odata.nextLink"));
        var (_, again, _) = await _client.GetJsonAsync(Str(page2, "@odata.nextLink"), _token);
        Assert.Equal(second, Str(again, "@odata.nextLink"));
        Assert.Null(again!["@odata.deltaLink"]);

        // Without $top the server's own page size applies and the walk ends.
        _server.Microsoft.MaxPageSize = 2;
        var (items, pages, _) = await WalkAsync(DeltaUrl);
        Assert.Equal(8, items.Count);
        Assert.True(pages >= 4);

        _server.Microsoft.DeltaPageLoop = GraphDeltaLoop.Always;
        var (_, loopFirst, _) = await _client.GetJsonAsync(DeltaUrl, _token);
        var loopSecond = Str(loopFirst, "@odata.nextLink");
        var (_, loopPage2, _) = await _client.GetJsonAsync(loopSecond, _token);
        Assert.Equal(loopSecond, Str(loopPage2, "@odata.nextLink"));
    }

    private async Task<(List<JsonNode> Items, int Pages, string DeltaLink)> WalkAsync(string url)
    {
        var items = new List<JsonNode>();
        for (var pages = 1; ; pages++)
        {
            var (status, body, _) = await _client.GetJsonAsync(url, _token);
            Assert.Equal(HttpStatusCode.OK, status);
            items.AddRange(body!["value"]!.AsArray().Select(i => i!));
            if (body["@odata.deltaLink"] is { } deltaLink)
            {
                Assert.Null(body["@odata.nextLink"]);
                return (items, pages, deltaLink.GetValue<string>());
            }

            url = Str(body, "@odata.nextLink");
            Assert.StartsWith(_server.BaseUrl, url, StringComparison.Ordinal);
        }
    }
}
