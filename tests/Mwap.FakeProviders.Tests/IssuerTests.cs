using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace Mwap.FakeProviders.Tests;

/// <summary>
/// The Auth0-shaped OIDC issuer: discovery and JWKS, authorize with its login page, the code + PKCE (S256) exchange with
/// RS256 tokens that verify against the published key, nonce in the id_token, and the refusals a real issuer makes.
/// </summary>
public sealed class IssuerTests : IAsyncLifetime
{
    private const string Callback = "http://localhost:5000/app/authentication/login-callback";
    private const string Audience = "https://api.mwap.test";
    private FakeProviderServer _server = null!;
    private readonly OAuthClient _client = new();

    public async ValueTask InitializeAsync()
    {
        _server = await FakeProviderServer.StartAsync();
        _server.Issuer.AllowRedirectUri(Callback);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private string Authority => _server.Issuer.Authority;

    private Dictionary<string, string?> Request(string challenge, string? prompt = null) => new()
    {
        ["client_id"] = _server.Issuer.ClientId,
        ["redirect_uri"] = Callback,
        ["response_type"] = "code",
        ["scope"] = "openid profile email",
        ["state"] = "st-1",
        ["nonce"] = "n-0S6_WzA2Mj",
        ["code_challenge"] = challenge,
        ["code_challenge_method"] = "S256",
        ["audience"] = Audience,
        ["prompt"] = prompt,
    };

    /// <summary>Shows the login page, then posts it back as a browser would: the hidden fields plus who signs in.</summary>
    private async Task<Dictionary<string, string>> SignInAsync(Dictionary<string, string?> request, string sub = "auth0|ada")
    {
        using var page = await _client.Http.GetAsync(QueryHelpers.AddQueryString(Authority + "authorize", request));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("data-test=\"issuer-sub\"", html, StringComparison.Ordinal);
        var form = request.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!);
        form["sub"] = sub;
        form["name"] = "Ada Admin";
        form["email"] = "ada@example.test";
        using var posted = await _client.Http.PostAsync(Authority + "login", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Found, posted.StatusCode);
        var location = posted.Headers.Location!.ToString();
        Assert.StartsWith(Callback + "?", location, StringComparison.Ordinal);
        return QueryHelpers.ParseQuery(new Uri(location).Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    private Dictionary<string, string> Exchange(string code, string verifier, string redirectUri = Callback) => new()
    {
        ["grant_type"] = "authorization_code",
        ["client_id"] = _server.Issuer.ClientId,
        ["code"] = code,
        ["redirect_uri"] = redirectUri,
        ["code_verifier"] = verifier,
    };

    [Fact]
    public async Task Discovery_NamesEveryEndpoint_AndTheJwksPublishesAnRs256Key()
    {
        var (_, discovery, _) = await GetJsonAsync(Authority + ".well-known/openid-configuration");
        var (_, jwks, _) = await GetJsonAsync(discovery["jwks_uri"]!.GetValue<string>());

        Assert.Equal(Authority, discovery["issuer"]!.GetValue<string>());
        Assert.Equal(Authority + "authorize", discovery["authorization_endpoint"]!.GetValue<string>());
        Assert.Equal(Authority + "oauth/token", discovery["token_endpoint"]!.GetValue<string>());
        Assert.Equal(["S256"], discovery["code_challenge_methods_supported"]!.AsArray().Select(m => m!.GetValue<string>()));
        var key = Assert.Single(jwks["keys"]!.AsArray())!;
        Assert.Equal(("RSA", "RS256", _server.Issuer.KeyId), (key["kty"]!.GetValue<string>(), key["alg"]!.GetValue<string>(), key["kid"]!.GetValue<string>()));
    }

    [Fact]
    public async Task CodeWithPkce_GivesSignedTokens_WithTheNonce_TheAudience_AndTheProfile()
    {
        var (verifier, challenge) = OAuthClient.NewPkce();
        var back = await SignInAsync(Request(challenge));
        Assert.Equal("st-1", back["state"]);

        var (status, tokens, response) = await _client.PostFormAsync(Authority + "oauth/token", Exchange(back["code"], verifier));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("openid profile email", tokens["scope"]!.GetValue<string>());
        var jwks = (await GetJsonAsync(Authority + ".well-known/jwks.json")).Body;
        var id = VerifiedClaims(tokens["id_token"]!.GetValue<string>(), jwks);
        var access = VerifiedClaims(tokens["access_token"]!.GetValue<string>(), jwks);
        Assert.Equal(("auth0|ada", "n-0S6_WzA2Mj", _server.Issuer.ClientId, Authority), (id["sub"]!.GetValue<string>(), id["nonce"]!.GetValue<string>(),
            id["aud"]!.GetValue<string>(), id["iss"]!.GetValue<string>()));
        Assert.Equal(("Ada Admin", "ada@example.test"), (id["name"]!.GetValue<string>(), id["email"]!.GetValue<string>()));
        Assert.Equal([Audience, Authority + "userinfo"], access["aud"]!.AsArray().Select(a => a!.GetValue<string>()));

        var (infoStatus, info) = await UserInfoAsync(tokens["access_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, infoStatus);
        Assert.Equal("auth0|ada", JsonNode.Parse(info)!["sub"]!.GetValue<string>());
    }

    [Fact]
    public async Task Exchange_RefusesAWrongVerifier_AReusedCode_AndAnotherRedirectUri()
    {
        var (verifier, challenge) = OAuthClient.NewPkce();
        var first = (await SignInAsync(Request(challenge)))["code"];
        var second = (await SignInAsync(Request(challenge)))["code"];

        var wrong = await _client.PostFormAsync(Authority + "oauth/token", Exchange(first, OAuthClient.NewPkce().Verifier));
        var spent = await _client.PostFormAsync(Authority + "oauth/token", Exchange(first, verifier));
        var elsewhere = await _client.PostFormAsync(Authority + "oauth/token", Exchange(second, verifier, "http://localhost:5000/other"));
        var noVerifier = await _client.PostFormAsync(Authority + "oauth/token", Exchange("x", ""));

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant", "Failed to verify code verifier"), (wrong.Status, wrong.Body["error"]!.GetValue<string>(), wrong.Body["error_description"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (spent.Status, spent.Body["error"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (elsewhere.Status, elsewhere.Body["error"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (noVerifier.Status, noVerifier.Body["error"]!.GetValue<string>()));
        Assert.Equal(0, _server.Issuer.TokensIssued);
    }

    [Fact]
    public async Task Authorize_WithoutS256OrOnASilentRequest_ReturnsTheErrorToTheClient_WithItsState()
    {
        var (_, challenge) = OAuthClient.NewPkce();
        var plain = Request(challenge);
        plain["code_challenge_method"] = "plain";
        var none = Request(challenge);
        none.Remove("code_challenge");
        none.Remove("code_challenge_method");

        var refusedPlain = await _client.AuthorizeAsync(Authority + "authorize", plain);
        var refusedNone = await _client.AuthorizeAsync(Authority + "authorize", none);
        var silent = await _client.AuthorizeAsync(Authority + "authorize", Request(challenge, prompt: "none"));

        Assert.Equal(("invalid_request", "st-1"), (refusedPlain["error"], refusedPlain["state"]));
        Assert.Equal("invalid_request", refusedNone["error"]);
        Assert.Equal(("login_required", "st-1"), (silent["error"], silent["state"]));
        Assert.False(silent.ContainsKey("code"));
    }

    [Fact]
    public async Task Authorize_ForAnUnregisteredCallbackOrClient_ShowsAnErrorPage_AndNeverRedirects()
    {
        var (_, challenge) = OAuthClient.NewPkce();
        var elsewhere = Request(challenge);
        elsewhere["redirect_uri"] = "https://evil.example/callback";
        var stranger = Request(challenge);
        stranger["client_id"] = "someone-else";

        using var a = await _client.Http.GetAsync(QueryHelpers.AddQueryString(Authority + "authorize", elsewhere));
        using var b = await _client.Http.GetAsync(QueryHelpers.AddQueryString(Authority + "authorize", stranger));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (a.StatusCode, b.StatusCode));
        Assert.Null(a.Headers.Location);
        Assert.Contains("Callback URL mismatch", await a.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrowserCalls_GetCorsHeaders_AndUserInfoRefusesAnUnknownToken()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, Authority + "userinfo");
        preflight.Headers.Add("Origin", "http://localhost:5000");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization");
        using var answer = await _client.Http.SendAsync(preflight);
        var (unknown, _) = await UserInfoAsync("not-a-token");

        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal("http://localhost:5000", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("authorization", answer.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown);
    }

    private async Task<(HttpStatusCode Status, string Body)> UserInfoAsync(string token)
    {
        var (status, body, response) = await _client.SendAsync(HttpMethod.Get, Authority + "userinfo", token);
        response.Dispose();
        return (status, body);
    }

    private async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> GetJsonAsync(string url)
    {
        var (status, body, response) = await _client.SendAsync(HttpMethod.Get, url, null);
        return (status, JsonNode.Parse(body)!.AsObject(), response);
    }

    /// <summary>Checks the RS256 signature against the JWKS key named by the header's kid, then returns the claims.</summary>
    private static JsonObject VerifiedClaims(string jwt, JsonObject jwks)
    {
        var parts = jwt.Split('.');
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!;
        var key = jwks["keys"]!.AsArray().Single(k => k!["kid"]!.GetValue<string>() == header["kid"]!.GetValue<string>())!;
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = Base64Url.DecodeFromChars(key["n"]!.GetValue<string>()),
            Exponent = Base64Url.DecodeFromChars(key["e"]!.GetValue<string>()),
        });
        Assert.Equal("RS256", header["alg"]!.GetValue<string>());
        Assert.True(rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), "signature does not verify against the JWKS");
        return JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
    }
}
