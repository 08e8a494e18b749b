using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using static Mwap.FakeProviders.Tests.JsonAssert;

namespace Mwap.FakeProviders.Tests.Dropbox;

public sealed class DropboxFeedTests : IAsyncLifetime
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
    public async Task RecursiveListing_ReturnsTheWholeSubtreeParentsFirst_AndHidesTrash()
    {
        var files = _server.Dropbox.Files;
        var a = files.AddFolder("/A");
        files.AddFiles(files.AddFolder("/A/B"), 3);
        files.AddFile(a, "top.txt");
        files.Trash(files.AddFolder("/A/Gone"));
        _server.Dropbox.ShortPages = true;

        var (entries, _) = await ListAsync("""{"path":"","recursive":true,"limit":2}""");

        Assert.Equal(["/a", "/a/b", "/a/b/file-001.txt", "/a/b/file-002.txt", "/a/b/file-003.txt", "/a/top.txt"],
            entries.Select(e => Str(e, "path_lower")));
        Assert.Equal(["folder", "folder", "file", "file", "file", "file"], entries.Select(e => Str(e, ".tag")));
    }

    [Fact]
    public async Task Continue_WithTheFinalCursor_ReportsEachMutation()
    {
        var files = _server.Dropbox.Files;
        var docs = files.AddFolder("/Docs");
        var report = files.AddFile(docs, "Report.txt");
        var photos = files.AddFolder("/Photos");
        var beach = files.AddFile(photos, "Beach.jpg");
        var archive = files.AddFolder("/Archive");
        files.AddFiles(archive, 3);
        var notes = files.AddFile(files.Root, "notes.txt");
        var trash = files.AddFile(files.Root, "trash.txt");
        var (_, cursor) = await ListAsync("""{"path":"","recursive":true}""");

        files.Rename(report, "Final.txt");
        files.Move(photos, docs);
        files.Delete(archive);
        files.UpdateContent(notes, [9, 9]);
        files.Trash(trash);
        var (changes, next) = await ContinueAllAsync(cursor);

        Assert.Equal(
        [
            "deleted /docs/report.txt", "file /docs/final.txt",
            "deleted /photos", "folder /docs/photos", "file /docs/photos/beach.jpg",
            "deleted /archive",
            "file /notes.txt",
            "deleted /trash.txt",
        ], changes.Select(e => $"{Str(e, ".tag")} {Str(e, "path_lower")}"));
        Assert.Null(changes[0]["id"]);
        Assert.Equal(("Report.txt", "/Docs/Report.txt"), (Str(changes[0], "name"), Str(changes[0], "path_display")));
        Assert.Equal(report.Id, Str(changes[1], "id"));
        Assert.Equal((photos.Id, beach.Id), (Str(changes[3], "id"), Str(changes[4], "id")));
        Assert.Equal(2, changes[6]["size"]!.GetValue<long>());
        Assert.Empty((await ContinueAllAsync(next)).Entries);
    }

    [Fact]
    public async Task NonRecursiveCursor_SeesOnlyItsFolder_AndAMovedFolderWithoutItsChildren()
    {
        var files = _server.Dropbox.Files;
        var inbox = files.AddFolder("/Inbox");
        var sub = files.AddFolder("/Inbox/Sub");
        var other = files.AddFolder("/Other");
        files.AddFile(other, "o.txt");
        var (_, cursor) = await ListAsync("""{"path":"/inbox"}""");

        files.AddFile(sub, "deep.txt");
        files.AddFile(inbox, "direct.txt");
        files.Move(other, inbox);
        var (changes, _) = await ContinueAllAsync(cursor);

        Assert.Equal(["file /inbox/direct.txt", "folder /inbox/other"], changes.Select(e => $"{Str(e, ".tag")} {Str(e, "path_lower")}"));
    }

    [Fact]
    public async Task LatestCursor_IsOnlyACursor_AndSeesLaterChanges()
    {
        var files = _server.Dropbox.Files;
        files.AddFiles(files.Root, 2);

        var (status, body, _) = await _client.PostJsonAsync(Url("list_folder/get_latest_cursor"), _token, """{"path":"","recursive":true}""");
        files.AddFile(files.Root, "new.txt");
        var (changes, _) = await ContinueAllAsync(Str(Object(body), "cursor"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["cursor"], Keys(Object(body)));
        Assert.Equal(["/new.txt"], changes.Select(e => Str(e, "path_lower")));
    }

    [Fact]
    public async Task ExpiredCursors_AnswerContinueAndLongpollWith409Reset()
    {
        _server.Dropbox.Files.AddFiles(_server.Dropbox.Files.Root, 3);
        var (_, cursor) = await ListAsync("""{"path":""}""");
        _server.Dropbox.ExpireChangeCursors();

        var (status, body, _) = await _client.PostJsonAsync(Url("list_folder/continue"), _token, $$"""{"cursor":"{{cursor}}"}""");
        var (pollStatus, pollBody, _) = await _client.PostJsonAsync(LongpollUrl, null, $$"""{"cursor":"{{cursor}}","timeout":30}""");

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (status, pollStatus));
        Assert.Equal("reset", Str(Object(body)["error"], ".tag"));
        Assert.Equal("reset", Str(Object(pollBody)["error"], ".tag"));
    }

    [Fact]
    public async Task Longpoll_TakesNoAuth_AnswersAtOnceWhenChangesExist_ElseFalseAfterTheCap()
    {
        _server.Dropbox.LongpollWait = TimeSpan.FromMilliseconds(200);
        var (_, cursor) = await ListAsync("""{"path":"","recursive":true}""");

        var timer = Stopwatch.StartNew();
        var (idleStatus, idle, _) = await _client.PostJsonAsync(LongpollUrl, null, $$"""{"cursor":"{{cursor}}","timeout":30}""");
        var idleTime = timer.Elapsed;
        _server.Dropbox.Files.AddFile(_server.Dropbox.Files.Root, "x.txt");
        var (_, changed, _) = await _client.PostJsonAsync(LongpollUrl, null, $$"""{"cursor":"{{cursor}}"}""");

        Assert.Equal(HttpStatusCode.OK, idleStatus);
        Assert.False(Object(idle)["changes"]!.GetValue<bool>());
        Assert.True(idleTime >= TimeSpan.FromMilliseconds(190), $"took {idleTime}");
        Assert.True(Object(changed)["changes"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ThrottleOnTheThirdPage_IsRetriedWithTheSameCursor()
    {
        _server.Dropbox.Files.AddFiles(_server.Dropbox.Files.Root, 5);
        _server.Dropbox.EnqueueThrottle("/2/files/list_folder", retryAfterSeconds: 3, skip: 2);

        var (_, first, _) = await _client.PostJsonAsync(Url("list_folder"), _token, """{"path":"","limit":2}""");
        var (_, second, _) = await _client.PostJsonAsync(Url("list_folder/continue"), _token, $$"""{"cursor":"{{Str(Object(first), "cursor")}}"}""");
        var third = $$"""{"cursor":"{{Str(Object(second), "cursor")}}"}""";
        var (throttled, body, response) = await _client.PostJsonAsync(Url("list_folder/continue"), _token, third);
        var (retried, page, _) = await _client.PostJsonAsync(Url("list_folder/continue"), _token, third);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter!.Delta);
        Assert.Equal(3, Object(body)["error"]!["retry_after"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, retried);
        Assert.Equal(["/file-005.txt"], Object(page)["entries"]!.AsArray().Select(e => Str(e, "path_lower")));
    }

    private string LongpollUrl => _server.DropboxNotifyBaseUrl + "/2/files/list_folder/longpoll";

    private string Url(string route) => $"{_server.DropboxApiBaseUrl}/2/files/{route}";

    private async Task<(List<JsonNode> Entries, string Cursor)> ListAsync(string args)
    {
        var (status, body, _) = await _client.PostJsonAsync(Url("list_folder"), _token, args);
        Assert.Equal(HttpStatusCode.OK, status);
        var page = Object(body);
        var entries = page["entries"]!.AsArray().Select(e => e!).ToList();
        if (!page["has_more"]!.GetValue<bool>())
        {
            return (entries, Str(page, "cursor"));
        }

        var (more, cursor) = await ContinueAllAsync(Str(page, "cursor"));
        return ([.. entries, .. more], cursor);
    }

    private async Task<(List<JsonNode> Entries, string Cursor)> ContinueAllAsync(string cursor)
    {
        var entries = new List<JsonNode>();
        while (true)
        {
            var (status, body, _) = await _client.PostJsonAsync(Url("list_folder/continue"), _token, $$"""{"cursor":"{{cursor}}"}""");
            Assert.Equal(HttpStatusCode.OK, status);
            var page = Object(body);
            entries.AddRange(page["entries"]!.AsArray().Select(e => e!));
            cursor = Str(page, "cursor");
            if (!page["has_more"]!.GetValue<bool>())
            {
                return (entries, cursor);
            }
        }
    }
}
