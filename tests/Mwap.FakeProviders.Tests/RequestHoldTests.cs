using System.Net;

namespace Mwap.FakeProviders.Tests;

public sealed class RequestHoldTests : IAsyncLifetime
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
    public async Task HeldRequest_WaitsUntilReleased_AndOthersPassMeanwhile()
    {
        var token = _server.Dropbox.IssueTokens().AccessToken;
        var hold = _server.Dropbox.HoldNext("/2/files/list_folder", skip: 1);
        var url = _server.DropboxApiBaseUrl + "/2/files/list_folder";

        var (skipped, _, _) = await _client.PostJsonAsync(url, token, """{"path":""}""");
        var held = _client.PostJsonAsync(url, token, """{"path":""}""");
        await hold.Reached.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var (meanwhile, _, _) = await _client.PostJsonAsync(url, token, """{"path":""}""");

        Assert.Equal(HttpStatusCode.OK, skipped);
        Assert.Equal(HttpStatusCode.OK, meanwhile);
        Assert.False(held.IsCompleted);
        hold.Release();
        Assert.Equal(HttpStatusCode.OK, (await held.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)).Status);
    }
}
