using System.Diagnostics;
using System.Net;
using static Mwap.FakeProviders.Tests.JsonAssert;

namespace Mwap.FakeProviders.Tests;

public sealed class FaultInjectionTests : IAsyncLifetime
{
    private readonly OAuthClient _client = new();
    private FakeProviderServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FakeProviderServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task DropboxThrottle_Is429WithRetryAfterHeaderAndBody_ThenTheCallSucceeds()
    {
        var token = _server.Dropbox.IssueTokens().AccessToken;
        _server.Dropbox.EnqueueThrottle("/2/files/list_folder", retryAfterSeconds: 7);
        var url = _server.DropboxApiBaseUrl + "/2/files/list_folder";

        var (status, body, response) = await _client.PostJsonAsync(url, token, """{"path":""}""");
        var (retryStatus, _, _) = await _client.PostJsonAsync(url, token, """{"path":""}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter!.Delta);
        Assert.Equal("too_many_requests", Str(Object(body)["error"]!["reason"], ".tag"));
        Assert.Equal(7, Object(body)["error"]!["retry_after"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, retryStatus);
        Assert.Equal(2, _server.Dropbox.ApiRequestCount("/2/files/list_folder"));
    }

    [Fact]
    public async Task GoogleDefault403_IsUserRateLimitExceededInUsageLimits_ForTheGivenNumberOfCalls()
    {
        var token = _server.Google.IssueTokens(["https://www.googleapis.com/auth/drive"]).AccessToken;
        _server.Google.EnqueueFault("/drive/v3/files", 403, times: 2);
        var url = _server.GoogleApiBaseUrl + "/drive/v3/files";

        var first = await _client.GetJsonAsync(url, token);
        var second = await _client.GetJsonAsync(url, token);
        var third = await _client.GetJsonAsync(url, token);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK), (first.Status, second.Status, third.Status));
        var error = first.Body!["error"]!["errors"]![0]!;
        Assert.Equal(("userRateLimitExceeded", "usageLimits"), (Str(error, "reason"), Str(error, "domain")));
        Assert.Equal(0, _server.Google.PendingFaults);
    }

    [Fact]
    public async Task GraphThrottle_Is429ActivityLimitReached_And503ServiceNotAvailable()
    {
        var token = _server.Microsoft.IssueTokens(["Files.Read"]).AccessToken;
        _server.Microsoft.EnqueueThrottle("/v1.0/me/drive", retryAfterSeconds: 120);
        _server.Microsoft.EnqueueFault("/v1.0/me/drive", 503, retryAfterSeconds: 3);
        var url = _server.GraphApiBaseUrl + "/v1.0/me/drive/root/children";

        var (throttled, throttleBody, throttleResponse) = await _client.GetJsonAsync(url, token);
        var (unavailable, unavailableBody, _) = await _client.GetJsonAsync(url, token);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled);
        Assert.Equal(TimeSpan.FromSeconds(120), throttleResponse.Headers.RetryAfter!.Delta);
        Assert.Equal("activityLimitReached", Str(throttleBody!["error"], "code"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable);
        Assert.Equal("serviceNotAvailable", Str(unavailableBody!["error"], "code"));
    }

    [Fact]
    public async Task TokenEndpointFault_AppliesToTheRealTokenPath_AndCustomBodiesPassThrough()
    {
        _server.Google.EnqueueFault("/token", 503, body: "upstream down", contentType: "text/plain");

        using var response = await _client.Http.PostAsync(_server.GoogleTokenUrl, new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("upstream down", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Latency_DelaysEveryRequestToThatProviderOnly()
    {
        _server.Dropbox.Latency = TimeSpan.FromMilliseconds(300);
        var token = _server.Dropbox.IssueTokens().AccessToken;

        var timer = Stopwatch.StartNew();
        await _client.PostJsonAsync(_server.DropboxApiBaseUrl + "/2/check/user", token, """{"query":"ping"}""");

        Assert.True(timer.Elapsed >= TimeSpan.FromMilliseconds(290), $"took {timer.Elapsed}");
    }
}
