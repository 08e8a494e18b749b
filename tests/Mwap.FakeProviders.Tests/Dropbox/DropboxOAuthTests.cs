using System.Net;
using System.Text;
using static Mwap.FakeProviders.Tests.JsonAssert;

namespace Mwap.FakeProviders.Tests.Dropbox;

public sealed class DropboxOAuthTests : IAsyncLifetime
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
    public async Task Revoke_WithAnExpiredAccessToken_Is401_AndTheRefreshTokenLivesOn()
    {
        var tokens = _server.Dropbox.IssueTokens(["files.metadata.read"]);
        _server.Dropbox.ExpireAccessTokens();

        var (status, body, _) = await _client.SendAsync(HttpMethod.Post, _server.DropboxApiBaseUrl + "/2/auth/token/revoke", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("expired_access_token", body, StringComparison.Ordinal);
        Assert.True(_server.Dropbox.FindToken(tokens.RefreshToken!)!.IsActive);
    }

    [Fact]
    public async Task FullFlow_PkceWithoutSecret_AccountRefreshWithoutRotationThenRevokeKillsBoth()
    {
        var (verifier, challenge) = OAuthClient.NewPkce();
        var redirect = await AuthorizeAsync(offline: true, challenge);

        var (status, tokens, _) = await _client.PostFormAsync(_server.DropboxTokenUrl, new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = redirect["code"],
            ["client_id"] = _server.Dropbox.ClientId,
            ["redirect_uri"] = OAuthClient.RedirectUri,
            ["code_verifier"] = verifier,
        });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("sl.", Str(tokens, "access_token"), StringComparison.Ordinal);
        Assert.Equal("bearer", Str(tokens, "token_type"));
        Assert.Equal(14400, tokens["expires_in"]!.GetValue<int>());
        Assert.Equal(_server.Dropbox.Account.Id, Str(tokens, "account_id"));
        var refreshToken = Str(tokens, "refresh_token");

        var accountUrl = _server.DropboxApiBaseUrl + "/2/users/get_current_account";
        var (noBody, account, _) = await _client.SendAsync(HttpMethod.Post, accountUrl, Str(tokens, "access_token"));
        var (literalNull, _, _) = await _client.PostJsonAsync(accountUrl, Str(tokens, "access_token"), "null");
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (noBody, literalNull));
        Assert.Equal(_server.Dropbox.Account.Email, Str(Object(account), "email"));
        Assert.Equal(_server.Dropbox.Account.DisplayName, Str(Object(account)["name"], "display_name"));

        var (refreshStatus, refreshed, _) = await _client.PostFormAsync(_server.DropboxTokenUrl, new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = _server.Dropbox.ClientId,
        });
        Assert.Equal(HttpStatusCode.OK, refreshStatus);
        Assert.Equal(["access_token", "expires_in", "token_type"], Keys(refreshed));

        var (revokeStatus, _, _) = await _client.SendAsync(HttpMethod.Post, _server.DropboxApiBaseUrl + "/2/auth/token/revoke", Str(refreshed, "access_token"));
        Assert.Equal(HttpStatusCode.OK, revokeStatus);

        var (oldAccess, oldBody, _) = await _client.SendAsync(HttpMethod.Post, accountUrl, Str(tokens, "access_token"));
        Assert.Equal(HttpStatusCode.Unauthorized, oldAccess);
        Assert.Equal("invalid_access_token", Str(Object(oldBody)["error"], ".tag"));

        var (deadStatus, dead, _) = await _client.PostFormAsync(_server.DropboxTokenUrl, new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = _server.Dropbox.ClientId,
        });
        Assert.Equal(HttpStatusCode.BadRequest, deadStatus);
        Assert.Equal("invalid_grant", Str(dead, "error"));
        Assert.Equal("refresh token is invalid or revoked", Str(dead, "error_description"));
    }

    [Fact]
    public async Task WithoutTokenAccessTypeOffline_NoRefreshToken_AndSecretIsRequiredWithoutPkce()
    {
        var code = (await AuthorizeAsync(offline: false, challenge: null))["code"];
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = OAuthClient.RedirectUri,
        };
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_server.Dropbox.ClientId}:{_server.Dropbox.ClientSecret}"));
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.DropboxApiBaseUrl + "/oauth2/token")
        {
            Content = new FormUrlEncodedContent(form),
            Headers = { Authorization = new("Basic", basic) },
        };

        using var response = await _client.Http.SendAsync(request);
        var body = Object(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(body["refresh_token"]);
    }

    [Fact]
    public async Task Refresh_WithGarbageToken_SaysMalformed()
    {
        var (status, body, _) = await _client.PostFormAsync(_server.DropboxTokenUrl, new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = "not-a-dropbox-token",
            ["client_id"] = _server.Dropbox.ClientId,
            ["client_secret"] = _server.Dropbox.ClientSecret,
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("refresh token is malformed", Str(body, "error_description"));
    }

    [Fact]
    public async Task ExpiredAccessToken_Gets401ExpiredAccessTokenUnion()
    {
        var tokens = _server.Dropbox.IssueTokens();
        _server.Dropbox.ExpireAccessTokens();

        var (status, body, _) = await _client.SendAsync(HttpMethod.Post, _server.DropboxApiBaseUrl + "/2/users/get_current_account", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("""{"error_summary":"expired_access_token/","error":{".tag":"expired_access_token"}}""", body);
    }

    private Task<Dictionary<string, string>> AuthorizeAsync(bool offline, string? challenge) =>
        _client.AuthorizeAsync(_server.DropboxAuthorizeUrl, new()
        {
            ["client_id"] = _server.Dropbox.ClientId,
            ["redirect_uri"] = OAuthClient.RedirectUri,
            ["response_type"] = "code",
            ["state"] = "dbx-state",
            ["token_access_type"] = offline ? "offline" : null,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = challenge is null ? null : "S256",
        });
}
