using System.Net;
using static Mwap.FakeProviders.Tests.JsonAssert;

namespace Mwap.FakeProviders.Tests.Google;

/// <summary>Drive shortcuts: shortcutDetails only when asked for in fields; no content and no children of their own.</summary>
public sealed class DriveShortcutTests : IAsyncLifetime
{
    private const string Shortcut = "application/vnd.google-apps.shortcut";
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
    public async Task Shortcuts_CarryTheirTarget_WhenFieldsAskForIt_AndHaveNoContentOrChildren()
    {
        var files = _server.Google.Files;
        var elsewhere = files.AddFolder("/Elsewhere");
        var report = files.AddFile(elsewhere, "report.txt");
        var here = files.AddFolder("/Here");
        var toFile = files.AddShortcut(here, report, "Report link");
        var toFolder = files.AddShortcut(here, elsewhere);

        var (_, withDetails, _) = await _client.SendAsync(HttpMethod.Get, Url($"/files/{toFile.Id}?fields=id,mimeType,shortcutDetails"), _token);
        var (_, withoutDetails, _) = await _client.SendAsync(HttpMethod.Get, Url($"/files/{toFile.Id}?fields=id,mimeType,size"), _token);
        var (mediaStatus, media, _) = await _client.SendAsync(HttpMethod.Get, Url($"/files/{toFile.Id}?alt=media"), _token);
        var (_, target, _) = await _client.SendAsync(HttpMethod.Get, Url($"/files/{report.Id}?alt=media"), _token);
        var q = Uri.EscapeDataString($"'{toFolder.Id}' in parents");
        var (_, children, _) = await _client.SendAsync(HttpMethod.Get, Url($"/files?q={q}&fields=files(id)"), _token);
        var (_, listed, _) = await _client.SendAsync(HttpMethod.Get,
            Url($"/files?q={Uri.EscapeDataString($"'{here.Id}' in parents")}&fields=files(id,name,mimeType,shortcutDetails)"), _token);

        var details = Object(withDetails);
        Assert.Equal(Shortcut, Str(details, "mimeType"));
        Assert.Equal(report.Id, Str(details["shortcutDetails"], "targetId"));
        Assert.Equal("text/plain", Str(details["shortcutDetails"], "targetMimeType"));
        Assert.False(Object(withoutDetails).ContainsKey("shortcutDetails"));
        Assert.False(Object(withoutDetails).ContainsKey("size"));
        Assert.Equal(HttpStatusCode.Forbidden, mediaStatus);
        Assert.Contains("fileNotDownloadable", media, StringComparison.Ordinal);
        Assert.Equal("Fake content of report.txt\n", target);
        Assert.Empty(Object(children)["files"]!.AsArray());
        var entries = Object(listed)["files"]!.AsArray();
        Assert.Equal(2, entries.Count);
        Assert.Contains(entries, e => Str(e!["shortcutDetails"], "targetMimeType") == "application/vnd.google-apps.folder" && Str(e, "name") == "Elsewhere");
    }

    private string Url(string path) => $"{_server.GoogleApiBaseUrl}/drive/v3{path}";
}
