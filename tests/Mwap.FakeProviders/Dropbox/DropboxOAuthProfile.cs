using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Mwap.FakeProviders.Hosting;
using Mwap.FakeProviders.OAuth;
using Mwap.FakeProviders.Tokens;

namespace Mwap.FakeProviders.Dropbox;

/// <summary>Dropbox's OAuth dialect: sl. access tokens for 4 h, refresh tokens only offline, never rotated.</summary>
internal sealed class DropboxOAuthProfile : OAuthProfile
{
    public override TimeSpan NewAccessTokenLifetime() => TimeSpan.FromSeconds(14400);
    public override bool SecretOptionalWithPkce => true;
    public override bool ScopeRequired => false;
    public override IReadOnlyList<string> ScopesWhenNoneRequested => ["account_info.read", "files.metadata.read", "files.content.read"];

    public override string NewCode() => TokenValues.Random("", 43);

    // Short-lived Dropbox tokens run well past a kilobyte; a narrow column must fail here, not in production.
    public override string NewAccessToken() => TokenValues.Random("sl.u.", 1150);
    public override string NewRefreshToken() => TokenValues.RandomAlphanumeric("", 64);

    public override bool LooksLikeRefreshToken(string value) => value.Length == 64 && value.All(char.IsAsciiLetterOrDigit);

    public override bool IssuesRefreshToken(IQueryCollection query, IReadOnlyList<string> scopes, bool consentedBefore) =>
        query["token_access_type"] == "offline";

    public override FakeResult AuthorizePageError(AuthorizeFailure failure, string clientId, string? redirectUri) => failure switch
    {
        AuthorizeFailure.UnknownClient => FakeResult.Text("Invalid client_id: the app key is not valid.", 400),
        _ => FakeResult.Text("Invalid redirect_uri. It must exactly match one of the redirect URIs you've pre-configured for your app (including the path).", 400),
    };

    public override string? RedirectErrorDescription(string error) => error switch
    {
        "access_denied" => "The user chose not to give your app access to their Dropbox account.",
        _ => $"The request is invalid: {error}.",
    };

    public override FakeResult TokenError(TokenFailure failure, string? detail)
    {
        var (status, error, description) = failure switch
        {
            TokenFailure.NotForm => (400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded"),
            TokenFailure.MissingParameter => (400, "invalid_request", $"No \"{detail}\" parameter"),
            TokenFailure.UnsupportedGrantType => (400, "unsupported_grant_type", $"\"{detail}\" is not a supported grant type"),
            TokenFailure.UnknownClient or TokenFailure.InvalidClient => (401, "invalid_client", "Invalid client_id or client_secret"),
            TokenFailure.RedirectMismatch => (400, "invalid_grant", "redirect_uri mismatch"),
            TokenFailure.VerifierMissing or TokenFailure.VerifierMismatch => (400, "invalid_grant", "invalid code verifier"),
            TokenFailure.RefreshMalformed => (400, "invalid_grant", "refresh token is malformed"),
            TokenFailure.RefreshUnknown or TokenFailure.RefreshRevoked or TokenFailure.RefreshExpired =>
                (400, "invalid_grant", "refresh token is invalid or revoked"),
            _ => (400, "invalid_grant", "code doesn't exist or has expired"),
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

        body["scope"] = parts.Scope;
        body["uid"] = LegacyUid(parts.Account.Id);
        body["account_id"] = parts.Account.Id;
        if (parts.WantsIdToken)
        {
            body["id_token"] = IdTokens.Create("https://www.dropbox.com", parts.ClientId, new JsonObject
            {
                ["sub"] = parts.Account.Id,
                ["email"] = parts.Account.Email,
                ["email_verified"] = true,
            }, parts.Now);
        }

        return body;
    }

    /// <summary>Dropbox's deprecated numeric uid; derived from the account id so it stays stable across runs.</summary>
    private static string LegacyUid(string accountId) =>
        BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(accountId))).ToString(CultureInfo.InvariantCulture);

    /// <summary>Exactly access_token, token_type and expires_in: no new refresh token, no scope.</summary>
    public override JsonObject RefreshResponse(TokenResponseParts parts) => new()
    {
        ["access_token"] = parts.AccessToken,
        ["token_type"] = "bearer",
        ["expires_in"] = parts.ExpiresInSeconds,
    };
}
