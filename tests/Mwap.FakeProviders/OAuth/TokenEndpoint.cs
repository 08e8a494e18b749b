using System.Text;
using Microsoft.Extensions.Primitives;
using Mwap.FakeProviders.Hosting;
using Mwap.FakeProviders.Tokens;

namespace Mwap.FakeProviders.OAuth;

/// <summary>The token endpoint shared by the three providers; each profile supplies its own shapes and error strings.</summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, FakeProviderState provider)
    {
        var profile = provider.Profile;
        if (!context.Request.HasFormContentType)
        {
            return profile.TokenError(TokenFailure.NotForm, null);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var grantType = form["grant_type"].ToString();
        if (grantType == "authorization_code")
        {
            provider.CountToken();
        }
        else if (grantType == "refresh_token")
        {
            provider.CountRefresh();
        }

        var (clientId, secret) = ClientCredentials(context.Request, form);
        if (clientId.Length == 0)
        {
            return profile.TokenError(TokenFailure.MissingParameter, "client_id");
        }

        if (clientId != provider.ClientId)
        {
            return profile.TokenError(TokenFailure.UnknownClient, clientId);
        }

        if (secret is not null && secret != provider.ClientSecret)
        {
            return profile.TokenError(TokenFailure.InvalidClient, null);
        }

        return grantType switch
        {
            "authorization_code" => ExchangeCode(provider, form, secret is not null),
            "refresh_token" => Refresh(provider, form, secret is not null),
            "" => profile.TokenError(TokenFailure.MissingParameter, "grant_type"),
            _ => profile.TokenError(TokenFailure.UnsupportedGrantType, grantType),
        };
    }

    private static FakeResult ExchangeCode(FakeProviderState provider, IFormCollection form, bool hasSecret)
    {
        var profile = provider.Profile;
        var value = form["code"].ToString();
        if (value.Length == 0)
        {
            return profile.TokenError(TokenFailure.MissingParameter, "code");
        }

        var check = provider.Tokens.Redeem(value, out var code);
        if (check != TokenCheck.Valid || code is null || code.ClientId != provider.ClientId)
        {
            return profile.TokenError(check switch
            {
                TokenCheck.Revoked => TokenFailure.CodeReused,
                TokenCheck.Expired => TokenFailure.CodeExpired,
                _ => TokenFailure.CodeUnknown,
            }, null);
        }

        if (!hasSecret && !(profile.SecretOptionalWithPkce && code.CodeChallenge is not null))
        {
            return profile.TokenError(TokenFailure.InvalidClient, null);
        }

        if (form["redirect_uri"] != code.RedirectUri)
        {
            return profile.TokenError(TokenFailure.RedirectMismatch, null);
        }

        if (code.CodeChallenge is not null)
        {
            var verifier = form["code_verifier"].ToString();
            if (verifier.Length == 0)
            {
                return profile.TokenError(TokenFailure.VerifierMissing, null);
            }

            if (!Pkce.Verify(code.CodeChallenge, code.CodeChallengeMethod!, verifier))
            {
                return profile.TokenError(TokenFailure.VerifierMismatch, null);
            }
        }

        var grant = provider.Tokens.NewGrant(code.ClientId, code.Scopes, code.CodeChallenge is not null);
        var (access, lifetime, refresh) = provider.Mint(grant, code.IssueRefreshToken);
        if (provider.TakeLostExchangeAnswer())
        {
            // The code is spent and tokens exist, but the answer never reaches the client (a gateway error on the way back).
            return FakeResult.Text("Bad Gateway", StatusCodes.Status502BadGateway);
        }

        return FakeResult.TokenJson(profile.CodeResponse(Parts(provider, access, lifetime, refresh, grant.Scopes)));
    }

    private static FakeResult Refresh(FakeProviderState provider, IFormCollection form, bool hasSecret)
    {
        var profile = provider.Profile;
        var value = form["refresh_token"].ToString();
        if (value.Length == 0)
        {
            return profile.TokenError(TokenFailure.MissingParameter, "refresh_token");
        }

        var check = provider.Tokens.Check(value, FakeTokenKind.RefreshToken, out var token);
        if (check != TokenCheck.Valid || token is null || token.Grant.ClientId != provider.ClientId)
        {
            return profile.TokenError(check switch
            {
                TokenCheck.Revoked => TokenFailure.RefreshRevoked,
                TokenCheck.Expired => TokenFailure.RefreshExpired,
                _ when !profile.LooksLikeRefreshToken(value) => TokenFailure.RefreshMalformed,
                _ => TokenFailure.RefreshUnknown,
            }, null);
        }

        if (!hasSecret && !(profile.SecretOptionalWithPkce && token.Grant.UsedPkce))
        {
            return profile.TokenError(TokenFailure.InvalidClient, null);
        }

        if (provider.RefreshFailure is { } failure)
        {
            return profile.TokenError(failure switch
            {
                FakeRefreshFailure.InteractionRequired => TokenFailure.InteractionRequired,
                FakeRefreshFailure.ConsentRequired => TokenFailure.ConsentRequired,
                FakeRefreshFailure.PasswordChanged => TokenFailure.RefreshRevoked,
                _ => TokenFailure.RefreshExpired,
            }, provider.ClientId);
        }

        var (access, lifetime, refresh) = provider.Mint(token.Grant, profile.RotatesRefreshTokens);
        return FakeResult.TokenJson(profile.RefreshResponse(Parts(provider, access, lifetime, refresh, token.Grant.Scopes)));
    }

    /// <summary>HTTP Basic (client_id:client_secret) or the form fields; all three providers accept either.</summary>
    private static (string ClientId, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())).Split(':', 2);
                return (Uri.UnescapeDataString(pair[0]), pair.Length == 2 ? Uri.UnescapeDataString(pair[1]) : null);
            }
            catch (FormatException)
            {
                return ("", null);
            }
        }

        return (form["client_id"].ToString(), form.TryGetValue("client_secret", out var secret) ? Value(secret) : null);
    }

    private static string? Value(StringValues values) => values.Count == 0 ? null : values.ToString();

    private static TokenResponseParts Parts(FakeProviderState provider, string access, TimeSpan lifetime, string? refresh,
        IReadOnlyList<string> scopes) =>
        new(access, lifetime, refresh, scopes, provider.Account, provider.ClientId, provider.Tokens.Now);
}
