using System.Net;

namespace Mwap.FakeProviders.Tests;

public sealed class ServerTests
{
    [Fact]
    public async Task Urls_AreRealApiPathsBelowEachBase()
    {
        await using var server = await FakeProviderServer.StartAsync();

        Assert.Matches(@"^http://127\.0\.0\.1:\d+$", server.BaseUrl);
        Assert.Equal(server.BaseUrl + "/google/o/oauth2/v2/auth", server.GoogleAuthorizeUrl);
        Assert.Equal(server.GoogleApiBaseUrl + "/token", server.GoogleTokenUrl);
        Assert.Equal(server.DropboxApiBaseUrl.Replace("/api", "", StringComparison.Ordinal) + "/oauth2/token", server.DropboxTokenUrl);
        Assert.Equal(server.BaseUrl + "/microsoft/common/oauth2/v2.0/token", server.MicrosoftTokenUrl);
        Assert.Equal(server.BaseUrl + "/microsoft/graph", server.GraphApiBaseUrl);
    }

    [Fact]
    public async Task TwoServers_RunSideBySideWithSeparateState()
    {
        await using var first = await FakeProviderServer.StartAsync();
        await using var second = await FakeProviderServer.StartAsync();
        var token = first.Google.IssueTokens(["https://www.googleapis.com/auth/drive"]).AccessToken;
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);

        using var own = await http.GetAsync(first.GoogleApiBaseUrl + "/drive/v3/about?fields=user");
        using var other = await http.GetAsync(second.GoogleApiBaseUrl + "/drive/v3/about?fields=user");

        Assert.NotEqual(first.BaseUrl, second.BaseUrl);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Unauthorized), (own.StatusCode, other.StatusCode));
    }

    [Fact]
    public async Task StartupBanner_NamesEveryClientIdAndSecret()
    {
        await using var server = await FakeProviderServer.StartAsync();

        var banner = StartupBanner.For(server);

        foreach (var provider in Enum.GetValues<FakeProvider>())
        {
            Assert.Contains(server[provider].ClientId, banner, StringComparison.Ordinal);
            Assert.Contains(server[provider].ClientSecret, banner, StringComparison.Ordinal);
        }

        Assert.Contains(server.Issuer.Authority, banner, StringComparison.Ordinal);
        Assert.Contains("Console__ClientId=" + server.Issuer.ClientId, banner, StringComparison.Ordinal);
    }
}
