using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using static Mwap.FakeProviders.Tests.JsonAssert;

namespace Mwap.FakeProviders.Tests.Google;

public sealed class DriveChangesTests : IAsyncLifetime
{
    private const string Fields = "nextPageToken,newStartPageToken,changes(fileId,removed,time,file(name,parents,trashed,md5Checksum,size))";

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
    public async Task Changes_AfterEachMutation_ReportLatestStateOnce_AndDeletesAsRemovedWithoutFile()
    {
        var files = _server.Google.Files;
        var docs = files.AddFolder("/Docs");
        var renamed = files.AddFile(docs, "a.txt");
        var moved = files.AddFile(files.Root, "b.txt");
        var updated = files.AddFile(docs, "c.txt");
        var trashed = files.AddFile(docs, "d.txt");
        var doomed = files.AddFolder("/Old/Deep");
        var doomedFile = files.AddFile(doomed, "e.txt");
        var old = files.FindByPath("/Old")!;
        var start = await StartTokenAsync();
        _server.Google.ShortPages = true;

        files.Rename(renamed, "x.txt");
        files.Move(moved, docs);
        files.UpdateContent(updated, [1, 2]);
        files.UpdateContent(updated, [1, 2, 3]);
        files.Trash(trashed);
        files.Delete(old);
        var (changes, pages, newStart) = await ReadAllAsync(start, pageSize: 2);

        var byId = changes.GroupBy(c => Str(c, "fileId")).ToDictionary(g => g.Key, g => g.Single());
        Assert.Equal([renamed.Id, moved.Id, updated.Id, trashed.Id, old.Id, doomed.Id, doomedFile.Id], changes.Select(c => Str(c, "fileId")));
        Assert.Equal("x.txt", Str(byId[renamed.Id]!["file"], "name"));
        Assert.Equal(docs.Id, byId[moved.Id]!["file"]!["parents"]![0]!.GetValue<string>());
#pragma warning disable CA5351 // Drive publishes MD5 checksums; the test checks that one.
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(new byte[] { 1, 2, 3 })), Str(byId[updated.Id]!["file"], "md5Checksum"));
#pragma warning restore CA5351
        Assert.Equal("3", Str(byId[updated.Id]!["file"], "size"));
        Assert.True(byId[trashed.Id]!["file"]!["trashed"]!.GetValue<bool>());
        Assert.False(byId[trashed.Id]!["removed"]!.GetValue<bool>());
        Assert.All([old.Id, doomed.Id, doomedFile.Id], id =>
        {
            Assert.True(byId[id]!["removed"]!.GetValue<bool>());
            Assert.Null(byId[id]!["file"]);
        });
        Assert.True(pages > 4, "short pages, including an empty first one, must not end the walk");
        Assert.Empty((await ReadAllAsync(newStart, pageSize: 100)).Changes);
    }

    [Fact]
    public async Task EveryPage_HasExactlyOneToken_AndFieldsWithoutTokensOmitThem()
    {
        var files = _server.Google.Files;
        var start = await StartTokenAsync();
        files.AddFiles(files.Root, 3);

        var (_, first, _) = await _client.GetJsonAsync(ChangesUrl(start, 2), _token);
        var (_, last, _) = await _client.GetJsonAsync(ChangesUrl(Str(first, "nextPageToken"), 2), _token);
        var (_, bare, _) = await _client.GetJsonAsync(ChangesUrl(start, 2, "changes(fileId)"), _token);
        var (_, defaults, _) = await _client.GetJsonAsync(_server.GoogleApiBaseUrl + "/drive/v3/changes?pageToken=" + start, _token);

        Assert.Equal(["changes", "nextPageToken"], Keys(first!.AsObject()));
        Assert.Equal(["changes", "newStartPageToken"], Keys(last!.AsObject()));
        Assert.Equal(["changes"], Keys(bare!.AsObject()));
        var change = defaults!["changes"]![0]!.AsObject();
        Assert.Equal(("drive#change", "file"), (Str(change, "kind"), Str(change, "changeType")));
        Assert.Equal(["id", "kind", "mimeType", "name"], Keys(change["file"]!.AsObject()));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", Str(change, "time"));
    }

    [Fact]
    public async Task ExpiredOrGarbageToken_Is400InvalidPageToken()
    {
        var start = await StartTokenAsync();
        _server.Google.Files.AddFiles(_server.Google.Files.Root, 3);
        var (_, page, _) = await _client.GetJsonAsync(ChangesUrl(start, 1), _token);
        _server.Google.ExpireChangeCursors();

        foreach (var token in new[] { start, Str(page, "nextPageToken"), "garbage" })
        {
            var (status, body, _) = await _client.GetJsonAsync(ChangesUrl(token, 1), _token);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            var error = body!["error"]!["errors"]![0]!;
            Assert.Equal(("invalid", "pageToken", "parameter", "Invalid Value"),
                (Str(error, "reason"), Str(error, "location"), Str(error, "locationType"), Str(error, "message")));
        }

        var (freshStatus, _, _) = await _client.GetJsonAsync(ChangesUrl(await StartTokenAsync(), 1), _token);
        Assert.Equal(HttpStatusCode.OK, freshStatus);
    }

    [Fact]
    public async Task SharedDriveChanges_AreHiddenUnlessBothAllDrivesFlags()
    {
        var files = _server.Google.Files;
        var start = await StartTokenAsync();
        files.AddFile(files.Root, "team.txt", sharedDriveId: "0ATeamDrive");
        files.AddFile(files.Root, "mine.txt");

        var (mine, _, _) = await ReadAllAsync(start, 10);
        var (all, _, _) = await ReadAllAsync(start, 10, "&supportsAllDrives=true&includeItemsFromAllDrives=true");

        Assert.Equal(["mine.txt"], mine.Select(c => Str(c!["file"], "name")));
        Assert.Equal(["team.txt", "mine.txt"], all.Select(c => Str(c!["file"], "name")));
    }

    [Fact]
    public async Task ThrottleOnTheThirdPage_IsRetriedWithTheSameToken()
    {
        var start = await StartTokenAsync();
        _server.Google.Files.AddFiles(_server.Google.Files.Root, 5);
        _server.Google.EnqueueThrottle("/drive/v3/changes", retryAfterSeconds: 2, skip: 2);

        var (_, first, _) = await _client.GetJsonAsync(ChangesUrl(start, 2), _token);
        var (_, second, _) = await _client.GetJsonAsync(ChangesUrl(Str(first, "nextPageToken"), 2), _token);
        var third = ChangesUrl(Str(second, "nextPageToken"), 2);
        var (throttled, body, _) = await _client.GetJsonAsync(third, _token);
        var (retried, page, _) = await _client.GetJsonAsync(third, _token);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled);
        Assert.Equal("rateLimitExceeded", Str(body!["error"]!["errors"]![0], "reason"));
        Assert.Equal(HttpStatusCode.OK, retried);
        Assert.Single(page!["changes"]!.AsArray());
        Assert.NotNull(page["newStartPageToken"]);
    }

    private async Task<string> StartTokenAsync()
    {
        var (status, body, _) = await _client.GetJsonAsync(_server.GoogleApiBaseUrl + "/drive/v3/changes/startPageToken?supportsAllDrives=true", _token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("drive#startPageToken", Str(body, "kind"));
        return Str(body, "startPageToken");
    }

    private string ChangesUrl(string token, int pageSize, string fields = Fields) =>
        $"{_server.GoogleApiBaseUrl}/drive/v3/changes?pageToken={Uri.EscapeDataString(token)}&pageSize={pageSize}&fields={Uri.EscapeDataString(fields)}";

    private async Task<(List<JsonNode> Changes, int Pages, string NewStart)> ReadAllAsync(string token, int pageSize, string extra = "")
    {
        var changes = new List<JsonNode>();
        for (var pages = 1; ; pages++)
        {
            var (status, body, _) = await _client.GetJsonAsync(ChangesUrl(token, pageSize) + extra, _token);
            Assert.Equal(HttpStatusCode.OK, status);
            changes.AddRange(body!["changes"]!.AsArray().Select(c => c!));
            Assert.True(body["nextPageToken"] is null != body["newStartPageToken"] is null, "exactly one of the two tokens");
            if (body["newStartPageToken"] is { } newStart)
            {
                return (changes, pages, newStart.GetValue<string>());
            }

            token = Str(body, "nextPageToken");
        }
    }
}
