using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using static Mwap.FakeProviders.Tests.JsonAssert;

namespace Mwap.FakeProviders.Tests.Google;

/// <summary>Drive <c>changes.watch</c>: the channel answer, a <c>sync</c> message first, then <c>change</c> messages; <c>channels.stop</c>.</summary>
public sealed class DriveWatchTests : IAsyncLifetime
{
    private readonly OAuthClient _client = new();
    private FakeProviderServer _server = null!;
    private WebhookReceiver _receiver = null!;
    private string _token = "";

    public async ValueTask InitializeAsync()
    {
        _server = await FakeProviderServer.StartAsync();
        _receiver = await WebhookReceiver.StartAsync();
        _server.Google.DriveChannels.RequireHttps = false;
        _token = _server.Google.IssueTokens(["https://www.googleapis.com/auth/drive.readonly"]).AccessToken;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> WatchAsync(object channel, string pageToken = "1") =>
        _client.SendAsync(HttpMethod.Post, _server.GoogleApiBaseUrl + "/drive/v3/changes/watch?pageToken=" + pageToken, _token, JsonContent.Create(channel));

    private object Channel(string id, TimeSpan lifetime) => new
    {
        id,
        type = "web_hook",
        address = _receiver.Url,
        token = "channel-secret",
        expiration = DateTimeOffset.UtcNow.Add(lifetime).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Watch_SendsSyncFirst_ThenChangeMessages_WithTheChannelHeaders_AndNoBody()
    {
        var (status, body, _) = await WatchAsync(Channel("ch-1", TimeSpan.FromDays(2)));
        Assert.Equal(HttpStatusCode.OK, status);
        var channel = Object(body);
        Assert.Equal("api#channel", Str(channel, "kind"));
        var resourceId = Str(channel, "resourceId");

        await _receiver.WaitForAsync(1);
        _server.Google.Files.AddFile(_server.Google.Files.Root, "new.txt");
        await _receiver.WaitForAsync(2);
        var messages = _receiver.Received.ToArray();
        Assert.Equal(["sync", "change"], messages.Select(m => m.Headers["X-Goog-Resource-State"]));
        Assert.Equal(["1", "2"], messages.Select(m => m.Headers["X-Goog-Message-Number"]));
        Assert.All(messages, m =>
        {
            Assert.Equal("ch-1", m.Headers["X-Goog-Channel-ID"]);
            Assert.Equal("channel-secret", m.Headers["X-Goog-Channel-Token"]);
            Assert.Equal(resourceId, m.Headers["X-Goog-Resource-ID"]);
            Assert.Equal("", m.Body);
        });
    }

    [Fact]
    public async Task Watch_RefusesDuplicateIds_LongLives_AndMissingPageToken_AndStopNeedsTheResourceId()
    {
        var resourceId = Str(Object((await WatchAsync(Channel("ch-2", TimeSpan.FromHours(1)))).Body), "resourceId");
        Assert.Equal(HttpStatusCode.BadRequest, (await WatchAsync(Channel("ch-2", TimeSpan.FromHours(1)))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await WatchAsync(Channel("ch-3", TimeSpan.FromDays(8)))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await WatchAsync(Channel("ch-4", TimeSpan.FromHours(1)), pageToken: "")).Status);

        var stop = _server.GoogleApiBaseUrl + "/drive/v3/channels/stop";
        Assert.Equal(HttpStatusCode.NotFound, (await _client.SendAsync(HttpMethod.Post, stop, _token, JsonContent.Create(new { id = "ch-2", resourceId = "other" }))).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Post, stop, _token, JsonContent.Create(new { id = "ch-2", resourceId }))).Status);
        Assert.Equal(["ch-2"], _server.Google.DriveChannels.Stopped);
        Assert.Empty(_server.Google.DriveChannels.Live);
    }
}
