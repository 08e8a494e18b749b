using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using static Mwap.FakeProviders.Tests.JsonAssert;

namespace Mwap.FakeProviders.Tests.Microsoft;

/// <summary>Graph subscriptions: the validation handshake on create, renewal, deletion, and real-shaped notifications.</summary>
public sealed class GraphSubscriptionTests : IAsyncLifetime
{
    private readonly OAuthClient _client = new();
    private FakeProviderServer _server = null!;
    private WebhookReceiver _receiver = null!;
    private string _token = "";

    public async ValueTask InitializeAsync()
    {
        _server = await FakeProviderServer.StartAsync();
        _receiver = await WebhookReceiver.StartAsync();
        _server.Microsoft.GraphSubscriptions.RequireHttps = false;
        _token = _server.Microsoft.IssueTokens(["Files.Read"]).AccessToken;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private string Url => _server.GraphApiBaseUrl + "/v1.0/subscriptions";

    private Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> CreateAsync(object body) =>
        _client.SendAsync(HttpMethod.Post, Url, _token, JsonContent.Create(body));

    private object Subscription(TimeSpan lifetime, string? url = null, string changeType = "updated") => new
    {
        changeType,
        notificationUrl = url ?? _receiver.Url,
        resource = "/me/drive/root",
        expirationDateTime = DateTimeOffset.UtcNow.Add(lifetime).ToString("O", CultureInfo.InvariantCulture),
        clientState = "secret-state",
    };

    [Fact]
    public async Task Create_ValidatesTheUrl_ThenNotifiesOnChanges_WithTheClientState()
    {
        var (status, body, _) = await CreateAsync(Subscription(TimeSpan.FromDays(2)));

        Assert.Equal(HttpStatusCode.Created, status);
        var id = Str(Object(body), "id");
        Assert.True(_receiver.Received.TryDequeue(out var validation));
        Assert.Contains("validationToken=Validation%3A", validation.Query, StringComparison.Ordinal);

        _server.Microsoft.Files.AddFile(_server.Microsoft.Files.Root, "new.txt");
        await _receiver.WaitForAsync(1);
        Assert.True(_receiver.Received.TryDequeue(out var notification));
        var value = Object(notification.Body)["value"]![0]!;
        Assert.Equal(id, Str(value, "subscriptionId"));
        Assert.Equal("secret-state", Str(value, "clientState"));
        Assert.Equal("updated", Str(value, "changeType"));
        Assert.Equal("", notification.Query);
    }

    [Fact]
    public async Task Create_FailsWhenTheEchoIsWrong_OrTheRequestIsOutOfBounds()
    {
        _receiver.Validation = _ => Results.Text("something else", "text/plain");
        Assert.Equal(HttpStatusCode.BadRequest, (await CreateAsync(Subscription(TimeSpan.FromDays(2)))).Status);
        _receiver.Validation = token => Results.Text(token, "text/html");
        Assert.Equal(HttpStatusCode.BadRequest, (await CreateAsync(Subscription(TimeSpan.FromDays(2)))).Status);
        _receiver.Validation = token => Results.Text(token, "text/plain");
        Assert.Equal(HttpStatusCode.BadRequest, (await CreateAsync(Subscription(TimeSpan.FromDays(30)))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await CreateAsync(Subscription(TimeSpan.FromDays(2), changeType: "created"))).Status);
        _server.Microsoft.GraphSubscriptions.RequireHttps = true;
        Assert.Equal(HttpStatusCode.BadRequest, (await CreateAsync(Subscription(TimeSpan.FromDays(2)))).Status);
        Assert.Empty(_server.Microsoft.GraphSubscriptions.Live);
    }

    [Fact]
    public async Task Renew_And_Delete_AndA404OnceGone()
    {
        var id = Str(Object((await CreateAsync(Subscription(TimeSpan.FromHours(1)))).Body), "id");
        var later = DateTimeOffset.UtcNow.AddDays(3);
        var patch = JsonContent.Create(new { expirationDateTime = later.ToString("O", CultureInfo.InvariantCulture) });
        var (status, _, _) = await _client.SendAsync(HttpMethod.Patch, Url + "/" + id, _token, patch);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(_server.Microsoft.GraphSubscriptions.Live.Single().ExpirationDateTime > DateTimeOffset.UtcNow.AddDays(2));

        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(HttpMethod.Delete, Url + "/" + id, _token)).Status);
        Assert.Equal([id], _server.Microsoft.GraphSubscriptions.Deleted);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.SendAsync(HttpMethod.Delete, Url + "/" + id, _token)).Status);
        patch = JsonContent.Create(new { expirationDateTime = later.ToString("O", CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.NotFound, (await _client.SendAsync(HttpMethod.Patch, Url + "/" + id, _token, patch)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(HttpMethod.Delete, Url + "/" + id, null)).Status);
    }
}
