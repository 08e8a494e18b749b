using System.Text.Json.Nodes;
using Mwap.FakeProviders.Hosting;
using Mwap.FakeProviders.OAuth;
using Mwap.FakeProviders.Tokens;

namespace Mwap.FakeProviders.Google;

/// <summary>Google's OAuth dialect: ya29./1// tokens, refresh token only when the consent screen was shown, no rotation.</summary>
internal sealed class GoogleOAuthProfile : OAuthProfile
{
    public override TimeSpan NewAccessTokenLifetime() => TimeSpan.FromSeconds(3599);

    /// <summary>Past 100 live refresh tokens per account and client, Google silently kills the oldest.</summary>
    public override int? MaxRefreshTokensPerClient => 100;

    public override string NewCode() => TokenValues.Random("4/0A", 69);
    public override string NewAccessToken() => TokenValues.Random("ya29.a0", 210);
    public override string NewRefreshToken() => TokenValues.Random("1//0", 99);

    public override bool LooksLikeRefreshToken(string value) => value.StartsWith("1//", StringComparison.Ordinal);

    /// <summary>
    /// A repeat authorization skips the consent screen and yields no refresh token, unless prompt=consent forces it.
    /// </summary>
    public override bool IssuesRefreshToken(IQueryCollection query, IReadOnlyList<string> scopes, bool consentedBefore) =>
        query["access_type"] == "offline"
        && (!consentedBefore || query["prompt"].ToString().Split(' ').Contains("consent"));

    public override FakeResult AuthorizePageError(AuthorizeFailure failure, string clientId, string? redirectUri) => failure switch
    {
        AuthorizeFailure.UnknownClient => FakeResult.Text("Access blocked: Authorization Error\nError 401: invalid_client\nThe OAuth client was not found.", 401),
        _ => FakeResult.Text($"Access blocked: This app's request is invalid\nError 400: redirect_uri_mismatch\nredirect_uri={redirectUri}", 400),
    };

    /// <summary>Google echoes the granted scopes on the redirect; with granular consent they can be fewer than asked.</summary>
    public override void AddRedirectParameters(Dictionary<string, string?> parameters, IReadOnlyList<string> grantedScopes)
    {
        parameters["scope"] = string.Join(' ', grantedScopes);
        parameters["authuser"] = "0";
        parameters["prompt"] = "consent";
    }

    public override FakeResult TokenError(TokenFailure failure, string? detail)
    {
        var (status, error, description) = failure switch
        {
            TokenFailure.NotForm => (400, "invalid_request", "Invalid request: expected application/x-www-form-urlencoded."),
            TokenFailure.MissingParameter => (400, "invalid_request", $"Missing required parameter: {detail}"),
            TokenFailure.UnsupportedGrantType => (400, "unsupported_grant_type", $"Invalid grant_type: {detail}"),
            TokenFailure.UnknownClient => (401, "invalid_client", "The OAuth client was not found."),
            TokenFailure.InvalidClient => (401, "invalid_client", "Unauthorized"),
            TokenFailure.RedirectMismatch => (400, "redirect_uri_mismatch", "Bad Request"),
            TokenFailure.VerifierMissing => (400, "invalid_grant", "Missing code verifier."),
            TokenFailure.VerifierMismatch => (400, "invalid_grant", "Invalid code verifier."),
            TokenFailure.RefreshMalformed => (400, "invalid_grant", "Bad Request"),
            TokenFailure.RefreshUnknown or TokenFailure.RefreshRevoked or TokenFailure.RefreshExpired =>
                (400, "invalid_grant", "Token has been expired or revoked."),
            _ => (400, "invalid_grant", "Bad Request"),
        };
        return FakeResult.TokenJson(new JsonObject { ["error"] = error, ["error_description"] = description }, status);
    }

    public override JsonObject CodeResponse(TokenResponseParts parts)
    {
        var body = RefreshResponse(parts);
        if (parts.RefreshToken is not null)
        {
            body["refresh_token"] = parts.RefreshToken;
        }

        return body;
    }

    /// <summary>No refresh_token in a refresh response: the client keeps the one it has.</summary>
    public override JsonObject RefreshResponse(TokenResponseParts parts)
    {
        var body = new JsonObject
        {
            ["access_token"] = parts.AccessToken,
            ["expires_in"] = parts.ExpiresInSeconds,
            ["scope"] = parts.Scope,
            ["token_type"] = "Bearer",
        };
        if (parts.WantsIdToken)
        {
            body["id_token"] = IdTokens.Create("https://accounts.google.com", parts.ClientId, new JsonObject
            {
                ["sub"] = parts.Account.Id,
                ["email"] = parts.Account.Email,
                ["email_verified"] = true,
                ["name"] = parts.Account.DisplayName,
            }, parts.Now);
        }

        return body;
    }
}
