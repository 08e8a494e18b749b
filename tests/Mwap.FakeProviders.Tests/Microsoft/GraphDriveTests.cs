using System.Net;
using static Mwap.FakeProviders.Tests.JsonAssert;

namespace Mwap.FakeProviders.Tests.Microsoft;

public sealed class GraphDriveTests : IAsyncLifetime
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

    [Fact]
    public async Task Children_FollowsAbsoluteNextLinkVerbatimUntilTheLastPage()
    {
        var folder = _server.Microsoft.Files.AddFolder("/Music");
        _server.Microsoft.Files.AddFiles(folder, 5, "track");

        var names = new List<string>();
        string? next = $"{_server.GraphApiBaseUrl}/v1.0/me/drive/items/{Uri.EscapeDataString(folder.Id)}/children?$top=2";
        while (next is not null)
        {
            var (status, body, _) = await _client.GetJsonAsync(next, _token);
            Assert.Equal(HttpStatusCode.OK, status);
            names.AddRange(body!["value"]!.AsArray().Select(i => Str(i, "name")));
            next = body["@odata.nextLink"]?.GetValue<string>();
            Assert.True(next is null || next.StartsWith(_server.BaseUrl, StringComparison.Ordinal));
            Assert.True(next is null || next.Contains("$skiptoken=", StringComparison.Ordinal));
        }

        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"track-{i:000}.txt"), names);
    }

    [Fact]
    public async Task RootChildren_ItemsCarryFacetsQuickXorHashAndDownloadUrl()
    {
        var files = _server.Microsoft.Files;
        files.AddFolder("/Docs");
        files.AddFile(files.Root, "j.bin", [0x4A]);

        var (_, body, _) = await _client.GetJsonAsync(_server.GraphApiBaseUrl + "/v1.0/me/drive/root/children", _token);
        var items = body!["value"]!.AsArray();
        var file = items[1]!;

        Assert.Equal(0, items[0]!["folder"]!["childCount"]!.GetValue<int>());
        // Known vector from rclone's quickxorhash tests: base64 "Sg==" (one byte 0x4A).
        Assert.Equal("SgAAAAAAAAAAAAAAAQAAAAAAAAA=", Str(file["file"]!["hashes"], "quickXorHash"));
        Assert.Equal(files.Root.Id, Str(file["parentReference"], "id"));
        Assert.Equal(new byte[] { 0x4A }, await _client.Http.GetByteArrayAsync(Str(file, "@microsoft.graph.downloadUrl")));
    }

    [Fact]
    public async Task QuickXorHash_MatchesPublishedVectors()
    {
        var files = _server.Microsoft.Files;
        var vectors = new Dictionary<string, string>
        {
            ["tbQ="] = "taAFAAAAAAAAAAAAAgAAAAAAAAA=",
            ["0pZP"] = "0rDEEwAAAAAAAAAAAwAAAAAAAAA=",
            ["qaApEj66lw=="] = "qQBFCiTgA11cAgAABwAAAAAAAAA=",
        };
        var ids = vectors.ToDictionary(v => files.AddFile(files.Root, v.Key + ".bin", Convert.FromBase64String(v.Key)).Id, v => v.Value);

        foreach (var (id, expected) in ids)
        {
            var (_, item, _) = await _client.GetJsonAsync($"{_server.GraphApiBaseUrl}/v1.0/me/drive/items/{Uri.EscapeDataString(id)}", _token);
            Assert.Equal(expected, Str(item!["file"]!["hashes"], "quickXorHash"));
        }
    }

    [Fact]
    public async Task Drive_DescribesAPersonalDrive()
    {
        var (status, drive, _) = await _client.GetJsonAsync(_server.GraphApiBaseUrl + "/v1.0/me/drive", _token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("personal", Str(drive, "driveType"));
        Assert.Equal("normal", Str(drive!["quota"], "state"));
    }
}
