using System.Net;
using Microsoft.Extensions.Time.Testing;
using static Mwap.FakeProviders.Tests.JsonAssert;

namespace Mwap.FakeProviders.Tests.Microsoft;

public sealed class MicrosoftOAuthTests : IAsyncLifetime
{
    private readonly OAuthClient _client = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private FakeProviderServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FakeProviderServer.StartAsync(new() { TimeProvider = _time });

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task FullFlow_RefreshRotatesEveryTime_AndTheOldRefreshTokenStaysValid()
    {
        var (verifier, challenge) = OAuthClient.NewPkce();
        var redirect = await AuthorizeAsync("offline_access Files.Read User.Read", challenge);
        var (status, tokens, _) = await _client.PostFormAsync(_server.MicrosoftTokenUrl, new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = redirect["code"],
            ["client_id"] = _server.Microsoft.ClientId,
            ["client_secret"] = _server.Microsoft.ClientSecret,
            ["redirect_uri"] = OAuthClient.RedirectUri,
            ["code_verifier"] = verifier,
            ["scope"] = "offline_access Files.Read User.Read",
        });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("offline_access Files.Read User.Read", Str(tokens, "scope"));
        Assert.InRange(tokens["expires_in"]!.GetValue<int>(), 3600, 5400);
        Assert.True(Str(tokens, "access_token").Length > 1000);

        var (meStatus, me, _) = await _client.GetJsonAsync(_server.GraphApiBaseUrl + "/v1.0/me", Str(tokens, "access_token"));
        Assert.Equal(HttpStatusCode.OK, meStatus);
        Assert.Equal(_server.Microsoft.Account.Id, Str(me, "id"));
        Assert.Equal(_server.Microsoft.Account.Email, Str(me, "mail"));

        var first = Str(tokens, "refresh_token");
        var (_, rotated, _) = await RefreshAsync(first);
        var second = Str(rotated, "refresh_token");
        Assert.NotEqual(first, second);

        var (oldStatus, fromOld, _) = await RefreshAsync(first);
        Assert.Equal(HttpStatusCode.OK, oldStatus);
        Assert.NotEqual(second, Str(fromOld, "refresh_token"));
        Assert.True(_server.Microsoft.FindToken(first)!.IsActive);
        Assert.Equal(3, _server.Microsoft.IssuedTokens.Count(t => t.Kind == Tokens.FakeTokenKind.RefreshToken));
    }

    [Fact]
    public async Task WithoutOfflineAccess_NoRefreshToken()
    {
        var code = (await AuthorizeAsync("Files.Read User.Read", null))["code"];

        var (_, tokens, _) = await ExchangeAsync(code);

        Assert.Null(tokens["refresh_token"]);
    }

    [Fact]
    public async Task RevokedGrant_RefreshIs400InvalidGrantWithAadstsCodes()
    {
        var tokens = _server.Microsoft.IssueTokens(["offline_access", "Files.Read"]);
        _server.Microsoft.RevokeAllTokens();

        var (status, body, _) = await RefreshAsync(tokens.RefreshToken!);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", Str(body, "error"));
        Assert.StartsWith("AADSTS50173:", Str(body, "error_description"), StringComparison.Ordinal);
        Assert.Equal(50173, body["error_codes"]![0]!.GetValue<int>());
        Assert.NotNull(body["trace_id"]);
        Assert.NotNull(body["correlation_id"]);
    }

    [Theory]
    [InlineData(FakeRefreshFailure.InteractionRequired, "interaction_required", 50076, null)]
    [InlineData(FakeRefreshFailure.ConsentRequired, "invalid_grant", 65001, "consent_required")]
    [InlineData(FakeRefreshFailure.PasswordChanged, "invalid_grant", 50173, null)]
    [InlineData(FakeRefreshFailure.Inactive, "invalid_grant", 700082, null)]
    public async Task RefreshFailure_AnswersMicrosoftsReconnectBodies_AndMintsNothing(FakeRefreshFailure failure, string error, int code, string? suberror)
    {
        var tokens = _server.Microsoft.IssueTokens(["offline_access", "Files.Read"]);
        var issued = _server.Microsoft.IssuedTokens.Count;
        _server.Microsoft.RefreshFailure = failure;

        var (status, body, _) = await RefreshAsync(tokens.RefreshToken!);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(error, Str(body, "error"));
        Assert.StartsWith($"AADSTS{code}:", Str(body, "error_description"), StringComparison.Ordinal);
        Assert.Equal(code, body["error_codes"]![0]!.GetValue<int>());
        Assert.Equal(suberror, body["suberror"]?.GetValue<string>());
        Assert.Equal(issued, _server.Microsoft.IssuedTokens.Count);

        _server.Microsoft.RefreshFailure = null;
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(tokens.RefreshToken!)).Status);
    }

    [Fact]
    public async Task LostExchangeAnswer_Is502_TheCodeIsSpent_AndARetryIsCodeReused()
    {
        var (verifier, challenge) = OAuthClient.NewPkce();
        var redirect = await AuthorizeAsync("offline_access Files.Read", challenge);
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = redirect["code"],
            ["client_id"] = _server.Microsoft.ClientId,
            ["client_secret"] = _server.Microsoft.ClientSecret,
            ["redirect_uri"] = OAuthClient.RedirectUri,
            ["code_verifier"] = verifier,
        };
        _server.Microsoft.LoseNextCodeExchangeAnswer();

        using var lost = await _client.Http.PostAsync(_server.MicrosoftTokenUrl, new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.BadGateway, lost.StatusCode);
        Assert.Contains(_server.Microsoft.IssuedTokens, t => t.Kind == Tokens.FakeTokenKind.AccessToken);

        var (status, body, _) = await _client.PostFormAsync(_server.MicrosoftTokenUrl, form);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", Str(body, "error"));
        Assert.Equal(54005, body["error_codes"]![0]!.GetValue<int>());
    }

    [Fact]
    public async Task SingleTenantApp_CommonIs50194_ItsOwnTenantWorks()
    {
        const string Tenant = "contoso.onmicrosoft.com";
        _server.Microsoft.SingleTenant = Tenant;
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = _server.Microsoft.ClientId,
            ["redirect_uri"] = OAuthClient.RedirectUri,
            ["response_type"] = "code",
            ["scope"] = "offline_access Files.Read",
            ["state"] = "s",
        };

        using var common = await _client.Http.GetAsync(global::Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(_server.MicrosoftAuthorizeUrl, query));
        Assert.Equal(HttpStatusCode.BadRequest, common.StatusCode);
        Assert.StartsWith("AADSTS50194:", await common.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var (tokenStatus, tokenBody, _) = await _client.PostFormAsync(_server.MicrosoftTokenUrl, new() { ["grant_type"] = "authorization_code", ["code"] = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, tokenStatus);
        Assert.Equal(50194, tokenBody["error_codes"]![0]!.GetValue<int>());

        var redirect = await _client.AuthorizeAsync($"{_server.MicrosoftLoginBaseUrl}/{Tenant}/oauth2/v2.0/authorize", query);
        var (status, _, _) = await _client.PostFormAsync($"{_server.MicrosoftLoginBaseUrl}/{Tenant}/oauth2/v2.0/token", new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = redirect["code"],
            ["client_id"] = _server.Microsoft.ClientId,
            ["client_secret"] = _server.Microsoft.ClientSecret,
            ["redirect_uri"] = OAuthClient.RedirectUri,
        });
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task RefreshToken_After90DaysUnused_Is700082()
    {
        var tokens = _server.Microsoft.IssueTokens(["offline_access", "Files.Read"]);
        _time.Advance(TimeSpan.FromDays(91));

        var (_, body, _) = await RefreshAsync(tokens.RefreshToken!);

        Assert.Equal(700082, body["error_codes"]![0]!.GetValue<int>());
    }

    [Fact]
    public async Task WrongSecret_Is401InvalidClient()
    {
        var code = (await AuthorizeAsync("offline_access Files.Read", null))["code"];

        var (status, body, _) = await ExchangeAsync(code, secret: "nope");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", Str(body, "error"));
        Assert.Equal(7000215, body["error_codes"]![0]!.GetValue<int>());
    }

    [Fact]
    public async Task ExpiredAccessToken_Gets401InvalidAuthenticationTokenAndExpiredTokenChallenge()
    {
        var tokens = _server.Microsoft.IssueTokens(["Files.Read"], withRefreshToken: false);
        _time.Advance(TimeSpan.FromMinutes(91));

        var (status, body, response) = await _client.GetJsonAsync(_server.GraphApiBaseUrl + "/v1.0/me", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("InvalidAuthenticationToken", Str(body!["error"], "code"));
        Assert.Contains("expired_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PersonalAccountWithoutMail_AnswersNullMailAndUserPrincipalName()
    {
        _server.Microsoft.Account = _server.Microsoft.Account with { HidesMail = true };
        var tokens = _server.Microsoft.IssueTokens(["User.Read"]);

        var (_, me, _) = await _client.GetJsonAsync(_server.GraphApiBaseUrl + "/v1.0/me", tokens.AccessToken);

        Assert.Null(me!["mail"]);
        Assert.Equal(_server.Microsoft.Account.Email, Str(me, "userPrincipalName"));
    }

    private Task<Dictionary<string, string>> AuthorizeAsync(string scope, string? challenge) =>
        _client.AuthorizeAsync(_server.MicrosoftAuthorizeUrl, new()
        {
            ["client_id"] = _server.Microsoft.ClientId,
            ["redirect_uri"] = OAuthClient.RedirectUri,
            ["response_type"] = "code",
            ["response_mode"] = "query",
            ["scope"] = scope,
            ["state"] = "ms-state",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = challenge is null ? null : "S256",
        });

    private Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonObject Body, HttpResponseMessage Response)> ExchangeAsync(string code, string? secret = null) =>
        _client.PostFormAsync(_server.MicrosoftTokenUrl, new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["client_id"] = _server.Microsoft.ClientId,
            ["client_secret"] = secret ?? _server.Microsoft.ClientSecret,
            ["redirect_uri"] = OAuthClient.RedirectUri,
        });

    private Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonObject Body, HttpResponseMessage Response)> RefreshAsync(string refreshToken) =>
        _client.PostFormAsync(_server.MicrosoftTokenUrl, new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = _server.Microsoft.ClientId,
            ["client_secret"] = _server.Microsoft.ClientSecret,
            ["scope"] = "offline_access Files.Read",
        });
}
