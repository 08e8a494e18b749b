using System.Net;
using static Mwap.FakeProviders.Tests.JsonAssert;

namespace Mwap.FakeProviders.Tests.Dropbox;

/// <summary>A slow recursive listing keeps running; an identical call meanwhile is 429 too_many_requests with Retry-After.</summary>
public sealed class DropboxSlowListingTests : IAsyncLifetime
{
    private readonly OAuthClient _client = new();
    private FakeProviderServer _server = null!;
    private string _token = "";

    public async ValueTask InitializeAsync()
    {
        _server = await FakeProviderServer.StartAsync();
        _token = _server.Dropbox.IssueTokens().AccessToken;
        _server.Dropbox.Files.AddFile(_server.Dropbox.Files.AddFolder("/Projects"), "a.txt");
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task IdenticalRecursiveListing_WhileTheFirstRuns_Is429WithRetryAfter_OtherCallsAreNot()
    {
        _server.Dropbox.SlowRecursiveListing = TimeSpan.FromSeconds(2);
        const string Recursive = """{"path":"","recursive":true}""";

        var first = _client.PostJsonAsync(Url("list_folder"), _token, Recursive);
        // The second call must arrive while the first runs.
        await PollAsync(() => _server.Dropbox.RunningListings == 1);
        var (secondStatus, second, secondResponse) = await _client.PostJsonAsync(Url("list_folder"), _token, Recursive);
        var (plainStatus, _, _) = await _client.PostJsonAsync(Url("list_folder"), _token, """{"path":"","recursive":false}""");
        var (firstStatus, firstBody, _) = await first;

        Assert.Equal(HttpStatusCode.TooManyRequests, secondStatus);
        Assert.Equal("too_many_requests", Str(Object(second)["error"]!["reason"], ".tag"));
        Assert.True(secondResponse.Headers.RetryAfter!.Delta!.Value >= TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, plainStatus);
        Assert.Equal(HttpStatusCode.OK, firstStatus);
        Assert.Equal(2, Object(firstBody)["entries"]!.AsArray().Count);
        Assert.Equal(1, _server.Dropbox.ListingCollisions);

        // Once the first has answered, the same call is accepted again.
        var (againStatus, _, _) = await _client.PostJsonAsync(Url("list_folder"), _token, Recursive);
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal(1, _server.Dropbox.ListingCollisions);
    }

    private static async Task PollAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the fake");
            await Task.Delay(10);
        }
    }

    private string Url(string route) => $"{_server.DropboxApiBaseUrl}/2/files/{route}";
}
