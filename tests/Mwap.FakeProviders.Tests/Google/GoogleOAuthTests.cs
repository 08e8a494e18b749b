using System.Net;
using static Mwap.FakeProviders.Tests.JsonAssert;

namespace Mwap.FakeProviders.Tests.Google;

public sealed class GoogleOAuthTests : IAsyncLifetime
{
    private const string DriveScope = "https://www.googleapis.com/auth/drive.readonly";

    private readonly OAuthClient _client = new();
    private FakeProviderServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FakeProviderServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task FullFlow_WithPkce_ExchangesRefreshesWithoutRotationAndRevokes()
    {
        var (verifier, challenge) = OAuthClient.NewPkce();
        var redirect = await AuthorizeAsync(challenge: challenge);
        Assert.Equal("state-1", redirect["state"]);
        Assert.Equal(DriveScope + " openid email", redirect["scope"]);

        var (status, tokens, response) = await ExchangeAsync(redirect["code"], verifier);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.StartsWith("ya29.", Str(tokens, "access_token"), StringComparison.Ordinal);
        Assert.StartsWith("1//", Str(tokens, "refresh_token"), StringComparison.Ordinal);
        Assert.Equal(3599, tokens["expires_in"]!.GetValue<int>());
        Assert.Equal("Bearer", Str(tokens, "token_type"));
        Assert.Equal(DriveScope + " openid email", Str(tokens, "scope"));
        Assert.NotNull(tokens["id_token"]);

        var (aboutStatus, about, _) = await _client.GetJsonAsync(_server.GoogleApiBaseUrl + "/drive/v3/about?fields=user", Str(tokens, "access_token"));
        Assert.Equal(HttpStatusCode.OK, aboutStatus);
        Assert.Equal(["user"], Keys(about!.AsObject()));
        Assert.Equal(_server.Google.Account.Email, Str(about["user"], "emailAddress"));
        Assert.Equal(_server.Google.Account.DisplayName, Str(about["user"], "displayName"));
        Assert.Equal(_server.Google.Account.Id, Str(about["user"], "permissionId"));

        var refreshToken = Str(tokens, "refresh_token");
        var (refreshStatus, refreshed, _) = await RefreshAsync(refreshToken);
        Assert.Equal(HttpStatusCode.OK, refreshStatus);
        Assert.Null(refreshed["refresh_token"]);
        Assert.NotEqual(Str(tokens, "access_token"), Str(refreshed, "access_token"));
        Assert.True(_server.Google.FindToken(refreshToken)!.IsActive);

        var (revokeStatus, _, _) = await _client.PostFormAsync(_server.GoogleRevokeUrl, new() { ["token"] = refreshToken });
        Assert.Equal(HttpStatusCode.OK, revokeStatus);

        var (deadStatus, dead, _) = await RefreshAsync(refreshToken);
        Assert.Equal(HttpStatusCode.BadRequest, deadStatus);
        Assert.Equal("invalid_grant", Str(dead, "error"));
        Assert.Equal("Token has been expired or revoked.", Str(dead, "error_description"));

        var (apiStatus, _, _) = await _client.GetJsonAsync(_server.GoogleApiBaseUrl + "/drive/v3/about?fields=user", Str(refreshed, "access_token"));
        Assert.Equal(HttpStatusCode.Unauthorized, apiStatus);

        var (againStatus, again, _) = await _client.PostFormAsync(_server.GoogleRevokeUrl, new() { ["token"] = refreshToken });
        Assert.Equal(HttpStatusCode.BadRequest, againStatus);
        Assert.Equal("invalid_token", Str(again, "error"));

        Assert.Equal((1, 2, 2), (_server.Google.TokenRequests, _server.Google.RefreshRequests, _server.Google.RevokeRequests));
    }

    [Fact]
    public async Task RepeatAuthorization_WithoutPromptConsent_IssuesNoRefreshToken()
    {
        var first = await ExchangeAsync((await AuthorizeAsync())["code"], null);
        Assert.NotNull(first.Body["refresh_token"]);

        var second = await ExchangeAsync((await AuthorizeAsync(prompt: null))["code"], null);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Null(second.Body["refresh_token"]);
    }

    [Fact]
    public async Task GrantOnlyScopes_LeavesDriveOut_TokenScopeShowsItAndDriveAnswers403()
    {
        _server.Google.GrantOnlyScopes("openid", "email");
        var redirect = await AuthorizeAsync();
        Assert.Equal("openid email", redirect["scope"]);

        var (_, tokens, _) = await ExchangeAsync(redirect["code"], null);
        Assert.Equal("openid email", Str(tokens, "scope"));

        var (status, body, _) = await _client.GetJsonAsync(_server.GoogleApiBaseUrl + "/drive/v3/files", Str(tokens, "access_token"));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("insufficientPermissions", Str(body!["error"]!["errors"]![0], "reason"));
    }

    [Fact]
    public async Task DenyNextAuthorization_RedirectsWithAccessDeniedAndState()
    {
        _server.Google.DenyNextAuthorization();

        var redirect = await AuthorizeAsync();

        Assert.Equal("access_denied", redirect["error"]);
        Assert.Equal("state-1", redirect["state"]);
        Assert.False(redirect.ContainsKey("code"));
    }

    [Fact]
    public async Task TokenExchange_RefusesWrongSecretReusedCodeBadVerifierAndOtherRedirect()
    {
        var (verifier, challenge) = OAuthClient.NewPkce();
        var code = (await AuthorizeAsync(challenge: challenge))["code"];

        var wrongSecret = await ExchangeAsync(code, verifier, secret: "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.Status);
        Assert.Equal("invalid_client", Str(wrongSecret.Body, "error"));

        var badVerifier = await ExchangeAsync(code, OAuthClient.NewPkce().Verifier);
        Assert.Equal("invalid_grant", Str(badVerifier.Body, "error"));

        var reused = await ExchangeAsync(code, verifier);
        Assert.Equal(HttpStatusCode.BadRequest, reused.Status);
        Assert.Equal("invalid_grant", Str(reused.Body, "error"));

        var otherRedirect = await ExchangeAsync((await AuthorizeAsync())["code"], null, redirectUri: "http://localhost:3001/other");
        Assert.Equal("redirect_uri_mismatch", Str(otherRedirect.Body, "error"));
    }

    [Fact]
    public async Task Authorize_WithUnregisteredRedirectUri_ShowsAnErrorPageInsteadOfRedirecting()
    {
        _server.Google.RegisterRedirectUri(OAuthClient.RedirectUri);

        using var response = await _client.Http.GetAsync(
            $"{_server.GoogleAuthorizeUrl}?client_id={_server.Google.ClientId}&redirect_uri=https://evil.example/cb&response_type=code&scope=openid&state=s");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("redirect_uri_mismatch", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredAccessToken_Gets401AuthErrorBody()
    {
        var tokens = _server.Google.IssueTokens([DriveScope]);
        _server.Google.ExpireAccessTokens();

        var (status, body, response) = await _client.GetJsonAsync(_server.GoogleApiBaseUrl + "/drive/v3/files", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(401, body!["error"]!["code"]!.GetValue<int>());
        Assert.Equal("authError", Str(body["error"]!["errors"]![0], "reason"));
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshToken101_SilentlyKillsTheOldest()
    {
        var oldest = _server.Google.IssueTokens([DriveScope]).RefreshToken!;
        for (var i = 0; i < 100; i++)
        {
            _server.Google.IssueTokens([DriveScope]);
        }

        var (status, body, _) = await RefreshAsync(oldest);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", Str(body, "error"));
        Assert.Equal(100, _server.Google.IssuedTokens.Count(t => t is { Kind: Tokens.FakeTokenKind.RefreshToken, IsActive: true }));
    }

    private Task<Dictionary<string, string>> AuthorizeAsync(string? challenge = null, string? prompt = "consent") =>
        _client.AuthorizeAsync(_server.GoogleAuthorizeUrl, new()
        {
            ["client_id"] = _server.Google.ClientId,
            ["redirect_uri"] = OAuthClient.RedirectUri,
            ["response_type"] = "code",
            ["scope"] = DriveScope + " openid email",
            ["state"] = "state-1",
            ["access_type"] = "offline",
            ["prompt"] = prompt,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = challenge is null ? null : "S256",
        });

    private Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonObject Body, HttpResponseMessage Response)> ExchangeAsync(
        string code, string? verifier, string? secret = null, string redirectUri = OAuthClient.RedirectUri)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["client_id"] = _server.Google.ClientId,
            ["client_secret"] = secret ?? _server.Google.ClientSecret,
            ["redirect_uri"] = redirectUri,
        };
        if (verifier is not null)
        {
            form["code_verifier"] = verifier;
        }

        return _client.PostFormAsync(_server.GoogleTokenUrl, form);
    }

    private Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonObject Body, HttpResponseMessage Response)> RefreshAsync(string refreshToken) =>
        _client.PostFormAsync(_server.GoogleTokenUrl, new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = _server.Google.ClientId,
            ["client_secret"] = _server.Google.ClientSecret,
        });
}
