using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Mwap.FakeProviders.Hosting;
using Mwap.FakeProviders.OAuth;

namespace Mwap.FakeProviders.Identity;

/// <summary>
/// The issuer's routes, at Auth0's paths under <see cref="FakeIssuer.PathPrefix"/>. The authorize request is checked
/// as RFC 6749 §4.1.2.1 says: an unknown client or unregistered redirect_uri gets an error page (never a redirect);
/// any other problem goes back to the redirect_uri with <c>error</c> and the <c>state</c>.
/// </summary>
internal static partial class IssuerEndpoints
{
    public static void MapIssuer(this WebApplication app, FakeIssuer issuer)
    {
        var p = FakeIssuer.PathPrefix;
        app.Use(async (context, next) =>
        {
            // Browser apps call discovery, the token endpoint and userinfo from their own origin (Auth0's "Allowed Web Origins").
            if (context.Request.Path.StartsWithSegments(p) && context.Request.Headers.Origin is { Count: > 0 } origin)
            {
                context.Response.Headers.AccessControlAllowOrigin = origin.ToString();
                context.Response.Headers.Vary = "Origin";
                if (HttpMethods.IsOptions(context.Request.Method))
                {
                    context.Response.Headers.AccessControlAllowMethods = "GET, POST";
                    context.Response.Headers.AccessControlAllowHeaders = "authorization, content-type";
                    context.Response.Headers.AccessControlMaxAge = "600";
                    context.Response.StatusCode = StatusCodes.Status204NoContent;
                    return;
                }
            }

            await next(context);
        });

        app.MapGet(p + "/.well-known/openid-configuration", () => FakeResult.Json(Discovery(issuer)));
        app.MapGet(p + "/.well-known/jwks.json", () => FakeResult.Json(issuer.Jwks()));
        app.MapGet(p + "/authorize", (HttpContext context) => Authorize(issuer, Parameters(context.Request.Query), login: null));
        app.MapPost(p + "/login", async (HttpContext context, CancellationToken _) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var sub = form["sub"].ToString().Trim();
            return Authorize(issuer, Parameters(form), sub.Length == 0 ? null
                : new IssuerUser(sub, Blank(form["name"].ToString()), Blank(form["email"].ToString())), submitted: true);
        });
        app.MapPost(p + "/oauth/token", (HttpContext context, CancellationToken _) => TokenAsync(context, issuer));
        app.MapGet(p + "/userinfo", (HttpContext context) => UserInfo(context, issuer));
        app.MapGet(p + "/oidc/logout", (HttpContext context) =>
        {
            var target = context.Request.Query["post_logout_redirect_uri"].ToString();
            if (target.Length == 0)
            {
                return FakeResult.Raw(StatusCodes.Status200OK, LoginPage.Message("Signed out", "You are signed out of the fake issuer."), "text/html; charset=utf-8");
            }

            return issuer.AcceptsLogoutRedirectUri(target)
                ? FakeResult.Redirect(QueryHelpers.AddQueryString(target, "state", context.Request.Query["state"].ToString()))
                : FakeResult.Raw(StatusCodes.Status400BadRequest, LoginPage.Message("Logout refused", "post_logout_redirect_uri is not an allowed logout URL."), "text/html; charset=utf-8");
        });
    }

    private static JsonObject Discovery(FakeIssuer issuer)
    {
        var a = issuer.Authority;
        return new JsonObject
        {
            ["issuer"] = a,
            ["authorization_endpoint"] = a + "authorize",
            ["token_endpoint"] = a + "oauth/token",
            ["userinfo_endpoint"] = a + "userinfo",
            ["jwks_uri"] = a + ".well-known/jwks.json",
            ["end_session_endpoint"] = a + "oidc/logout",
            ["response_types_supported"] = new JsonArray("code"),
            ["response_modes_supported"] = new JsonArray("query"),
            ["grant_types_supported"] = new JsonArray("authorization_code"),
            ["code_challenge_methods_supported"] = new JsonArray("S256"),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("none"),
            ["scopes_supported"] = new JsonArray("openid", "profile", "email", "offline_access"),
            ["claims_supported"] = new JsonArray("sub", "iss", "aud", "exp", "iat", "nonce", "name", "nickname", "email", "email_verified"),
        };
    }

    private static Dictionary<string, string> Parameters(IEnumerable<KeyValuePair<string, global::Microsoft.Extensions.Primitives.StringValues>> values) =>
        values.ToDictionary(v => v.Key, v => v.Value.ToString(), StringComparer.Ordinal);

    /// <summary>
    /// Checks an authorize request; with no <paramref name="login"/> it shows the login page (or, for <c>prompt=none</c>,
    /// answers <c>login_required</c>: the fake keeps no session), with one it issues the code and sends the browser back.
    /// </summary>
    private static FakeResult Authorize(FakeIssuer issuer, Dictionary<string, string> q, IssuerUser? login, bool submitted = false)
    {
        var clientId = q.GetValueOrDefault("client_id") ?? "";
        var redirectUri = q.GetValueOrDefault("redirect_uri") ?? "";
        if (clientId != issuer.ClientId)
        {
            return Page(StatusCodes.Status400BadRequest, "Unknown client", $"client_id '{clientId}' is not a client of this issuer.");
        }

        if (!issuer.AcceptsRedirectUri(redirectUri))
        {
            return Page(StatusCodes.Status400BadRequest, "Callback URL mismatch", $"'{redirectUri}' is not in the client's Allowed Callback URLs.");
        }

        var state = q.GetValueOrDefault("state");
        var scope = q.GetValueOrDefault("scope") ?? "";
        var challenge = q.GetValueOrDefault("code_challenge") ?? "";
        var error = q.GetValueOrDefault("response_type") != "code" ? ("unsupported_response_type", "response_type must be code")
            : !scope.Split(' ').Contains("openid") ? ("invalid_scope", "scope must include openid")
            : challenge.Length == 0 ? ("invalid_request", "code_challenge is required for a public client")
            : q.GetValueOrDefault("code_challenge_method") != "S256" ? ("invalid_request", "code_challenge_method must be S256")
            : !Base64UrlPattern().IsMatch(challenge) ? ("invalid_request", "code_challenge must be 43 base64url characters (SHA-256)")
            : !submitted && q.GetValueOrDefault("prompt") == "none" ? ("login_required", "Login required")
            : default((string, string)?);
        if (error is var (code, description))
        {
            return FakeResult.Redirect(QueryHelpers.AddQueryString(redirectUri, Without(new()
            {
                ["error"] = code,
                ["error_description"] = description,
                ["state"] = state,
            })));
        }

        if (login is null)
        {
            return FakeResult.Raw(submitted ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK,
                LoginPage.Render(issuer.PathPrefixLogin(), q, submitted ? "Type the subject you sign in as." : null), "text/html; charset=utf-8");
        }

        var value = issuer.NewCode(clientId, redirectUri, challenge, Blank(q.GetValueOrDefault("nonce")), scope,
            Blank(q.GetValueOrDefault("audience")), login);
        return FakeResult.Redirect(QueryHelpers.AddQueryString(redirectUri, Without(new() { ["code"] = value, ["state"] = state })));
    }

    private static async Task<FakeResult> TokenAsync(HttpContext context, FakeIssuer issuer)
    {
        if (!context.Request.HasFormContentType)
        {
            return TokenError(StatusCodes.Status400BadRequest, "invalid_request", "The body must be application/x-www-form-urlencoded");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form["grant_type"] != "authorization_code")
        {
            return TokenError(StatusCodes.Status400BadRequest, "unsupported_grant_type", "Only authorization_code is supported");
        }

        if (form["client_id"] != issuer.ClientId)
        {
            return TokenError(StatusCodes.Status401Unauthorized, "invalid_client", "Unknown client");
        }

        var verifier = form["code_verifier"].ToString();
        if (verifier.Length == 0)
        {
            return TokenError(StatusCodes.Status400BadRequest, "invalid_request", "code_verifier is required");
        }

        var code = issuer.Redeem(form["code"].ToString());
        return code is null || code.ClientId != issuer.ClientId ? TokenError(StatusCodes.Status400BadRequest, "invalid_grant", "Invalid authorization code")
            : form["redirect_uri"] != code.RedirectUri ? TokenError(StatusCodes.Status400BadRequest, "invalid_grant", "redirect_uri does not match the authorize request")
            : !Pkce.Verify(code.CodeChallenge, "S256", verifier) ? TokenError(StatusCodes.Status400BadRequest, "invalid_grant", "Failed to verify code verifier")
            : FakeResult.TokenJson(issuer.Tokens(code));
    }

    private static FakeResult UserInfo(HttpContext context, FakeIssuer issuer)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var user = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? issuer.UserFor(header[7..].Trim()) : null;
        if (user is null)
        {
            return FakeResult.Text("Unauthorized", StatusCodes.Status401Unauthorized, FakeResult.Header("WWW-Authenticate", "Bearer error=\"invalid_token\""));
        }

        var claims = new JsonObject { ["sub"] = user.Subject };
        FakeIssuer.AddProfile(claims, user, "profile email");
        return FakeResult.Json(claims);
    }

    private static FakeResult TokenError(int status, string error, string description) =>
        FakeResult.TokenJson(new JsonObject { ["error"] = error, ["error_description"] = description }, status);

    private static FakeResult Page(int status, string title, string text) =>
        FakeResult.Raw(status, LoginPage.Message(title, text), "text/html; charset=utf-8");

    private static Dictionary<string, string?> Without(Dictionary<string, string?> values) =>
        values.Where(v => !string.IsNullOrEmpty(v.Value)).ToDictionary(v => v.Key, v => v.Value);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string PathPrefixLogin(this FakeIssuer issuer) => issuer.Authority + "login";

    [GeneratedRegex("^[A-Za-z0-9_-]{43}$")]
    private static partial Regex Base64UrlPattern();
}
