using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Mwap.FakeProviders.Identity;

/// <summary>Who signed in on the issuer's login page.</summary>
public sealed record IssuerUser(string Subject, string? Name, string? Email);

/// <summary>An authorization code: bound to its client, redirect URI, PKCE challenge and nonce; single use.</summary>
internal sealed record IssuedCode(string Value, string ClientId, string RedirectUri, string CodeChallenge, string? Nonce, string Scope,
    string? Audience, IssuerUser User, DateTimeOffset ExpiresAt);

/// <summary>
/// An OpenID Connect issuer shaped like Auth0 (the platform's production sign-in): discovery, JWKS, an authorize
/// endpoint with a login page where you type who you are, the token endpoint (authorization code + PKCE S256 only, a
/// public client), userinfo and logout. Tokens are RS256 JWTs signed with a key the JWKS publishes, so a relying party
/// validates them exactly as it validates Auth0's. Served by <see cref="FakeProviderServer"/> under <c>/auth0</c>.
/// </summary>
public sealed class FakeIssuer
{
    public const string PathPrefix = "/auth0";
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, IssuedCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IssuerUser> _accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _redirectUris = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _logoutRedirectUris = new(StringComparer.Ordinal);
    private readonly Func<string> _baseUrl;
    private int _logins;
    private int _tokens;

    internal FakeIssuer(Func<string> baseUrl, TimeProvider time)
    {
        _baseUrl = baseUrl;
        Time = time;
    }

    /// <summary>The single public client (a browser app: no secret, PKCE required).</summary>
    public string ClientId { get; } = "fake-console-client";

    /// <summary>e.g. http://127.0.0.1:41234/auth0/ (trailing slash, as Auth0's issuer has one).</summary>
    public string Authority => _baseUrl() + PathPrefix + "/";

    public string KeyId { get; } = "fake-issuer-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>Access tokens' lifetime (Auth0's default for an API is 24 h; an hour keeps tests honest about renewal).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The <c>aud</c> of access tokens when the authorize request names no <c>audience</c> (Auth0's default audience).</summary>
    public string? DefaultAudience { get; set; }

    /// <summary>Interactive logins completed on the login page.</summary>
    public int Logins => Volatile.Read(ref _logins);

    /// <summary>Codes exchanged for tokens.</summary>
    public int TokensIssued => Volatile.Read(ref _tokens);

    internal TimeProvider Time { get; }

    /// <summary>Registers a callback URL ("Allowed Callback URLs"): anything else is refused on the issuer's own page.</summary>
    public void AllowRedirectUri(string uri) => _redirectUris[uri] = 0;

    /// <summary>Registers a URL the issuer may return to after logout ("Allowed Logout URLs").</summary>
    public void AllowLogoutRedirectUri(string uri) => _logoutRedirectUris[uri] = 0;

    internal bool AcceptsRedirectUri(string uri) => _redirectUris.ContainsKey(uri);

    internal bool AcceptsLogoutRedirectUri(string uri) => _logoutRedirectUris.ContainsKey(uri);

    internal string NewCode(string clientId, string redirectUri, string challenge, string? nonce, string scope, string? audience, IssuerUser user)
    {
        Interlocked.Increment(ref _logins);
        var value = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        _codes[value] = new IssuedCode(value, clientId, redirectUri, challenge, nonce, scope, audience, user, Time.GetUtcNow() + CodeLifetime);
        return value;
    }

    /// <summary>Takes the code out (a code is spent by its first exchange, whatever the outcome after).</summary>
    internal IssuedCode? Redeem(string code) =>
        _codes.TryRemove(code, out var issued) && issued.ExpiresAt > Time.GetUtcNow() ? issued : null;

    internal JsonObject Tokens(IssuedCode code)
    {
        Interlocked.Increment(ref _tokens);
        var now = Time.GetUtcNow();
        var audience = code.Audience ?? DefaultAudience;
        var access = Sign(new JsonObject
        {
            ["iss"] = Authority,
            ["sub"] = code.User.Subject,
            // Auth0: the API's identifier and, when openid was asked for, the userinfo endpoint.
            ["aud"] = audience is null ? Authority + "userinfo" : new JsonArray(audience, Authority + "userinfo"),
            ["azp"] = code.ClientId,
            ["scope"] = code.Scope,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + AccessTokenLifetime).ToUnixTimeSeconds(),
        });
        _accessTokens[access] = code.User;
        var id = new JsonObject
        {
            ["iss"] = Authority,
            ["sub"] = code.User.Subject,
            ["aud"] = code.ClientId,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddHours(10).ToUnixTimeSeconds(),
            ["at_hash"] = AtHash(access),
        };
        if (code.Nonce is not null)
        {
            id["nonce"] = code.Nonce;
        }

        AddProfile(id, code.User, code.Scope);
        return new JsonObject
        {
            ["access_token"] = access,
            ["id_token"] = Sign(id),
            ["scope"] = code.Scope,
            ["expires_in"] = (long)AccessTokenLifetime.TotalSeconds,
            ["token_type"] = "Bearer",
        };
    }

    internal IssuerUser? UserFor(string accessToken) => _accessTokens.GetValueOrDefault(accessToken);

    internal static void AddProfile(JsonObject claims, IssuerUser user, string scope)
    {
        var scopes = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scopes.Contains("profile"))
        {
            claims["name"] = user.Name ?? user.Subject;
            claims["nickname"] = (user.Name ?? user.Subject).Split(' ')[0];
        }

        if (scopes.Contains("email") && user.Email is not null)
        {
            claims["email"] = user.Email;
            claims["email_verified"] = true;
        }
    }

    internal JsonObject Jwks()
    {
        var p = _key.ExportParameters(false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = KeyId,
                ["n"] = Base64Url.EncodeToString(p.Modulus),
                ["e"] = Base64Url.EncodeToString(p.Exponent),
            }),
        };
    }

    private string Sign(JsonObject claims)
    {
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = KeyId };
        var input = Encode(header) + "." + Encode(claims);
        var signature = _key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return input + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>OIDC Core §3.1.3.6: the left half of SHA-256 of the access token, base64url.</summary>
    private static string AtHash(string accessToken) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)).AsSpan(0, 16));

    private static string Encode(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
