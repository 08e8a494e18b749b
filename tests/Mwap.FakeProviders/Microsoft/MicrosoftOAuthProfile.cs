using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Mwap.FakeProviders.Hosting;
using Mwap.FakeProviders.OAuth;
using Mwap.FakeProviders.Tokens;

namespace Mwap.FakeProviders.Microsoft;

/// <summary>
/// Microsoft identity platform v2.0: a new refresh token on every refresh (the old one stays valid until its own
/// 90 days run out), AADSTS-coded error bodies, and access tokens that live a random 60–90 minutes.
/// </summary>
internal sealed class MicrosoftOAuthProfile : OAuthProfile
{
    public const string TenantId = "9188040d-6c67-4c5b-b112-36a304b66dad";

    public override TimeSpan NewAccessTokenLifetime() => TimeSpan.FromSeconds(RandomNumberGenerator.GetInt32(3600, 5401));
    public override TimeSpan? DefaultRefreshTokenLifetime => TimeSpan.FromDays(90);
    public override bool RotatesRefreshTokens => true;

    public override string NewCode() => TokenValues.Random("M.C5", 180) + "_BAY.0.U.-" + TokenValues.Random("", 100);

    // Personal-account access tokens are opaque and long (about 1.5 KB); never parse them.
    public override string NewAccessToken() => TokenValues.Random("EwB4", 1500);
    public override string NewRefreshToken() => TokenValues.Random("M.C5", 400) + "$$";

    public override bool LooksLikeRefreshToken(string value) => value.StartsWith("M.C", StringComparison.Ordinal);

    public override bool IssuesRefreshToken(IQueryCollection query, IReadOnlyList<string> scopes, bool consentedBefore) =>
        scopes.Contains("offline_access", StringComparer.OrdinalIgnoreCase);

    public override FakeResult AuthorizePageError(AuthorizeFailure failure, string clientId, string? redirectUri) => failure switch
    {
        AuthorizeFailure.UnknownClient => FakeResult.Text(
            $"AADSTS700016: Application with identifier '{clientId}' was not found in the directory 'Microsoft Accounts'.", 400),
        _ => FakeResult.Text(
            $"AADSTS50011: The redirect URI '{redirectUri}' specified in the request does not match the redirect URIs configured for the application '{clientId}'.", 400),
    };

    public override string? RedirectErrorDescription(string error) => error switch
    {
        "access_denied" => "The user has denied access to the scope requested by the client application.",
        _ => $"AADSTS900144: The request is invalid: {error}.",
    };

    public override FakeResult TokenError(TokenFailure failure, string? detail)
    {
        var (status, error, code, message) = failure switch
        {
            TokenFailure.NotForm => (400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'."),
            TokenFailure.MissingParameter => (400, "invalid_request", 900144, $"The request body must contain the following parameter: '{detail}'."),
            TokenFailure.UnsupportedGrantType => (400, "unsupported_grant_type", 70003, $"The app requested an unsupported grant type '{detail}'."),
            TokenFailure.UnknownClient => (400, "unauthorized_client", 700016, $"Application with identifier '{detail}' was not found in the directory 'Microsoft Accounts'."),
            TokenFailure.InvalidClient => (401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID."),
            TokenFailure.CodeReused => (400, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token."),
            TokenFailure.CodeExpired => (400, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource."),
            TokenFailure.RedirectMismatch => (400, "invalid_grant", 500117, "The reply uri specified in the request does not match the reply uri specified in the authorization request."),
            TokenFailure.VerifierMissing or TokenFailure.VerifierMismatch => (400, "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request."),
            TokenFailure.RefreshRevoked => (400, "invalid_grant", 50173, "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password."),
            TokenFailure.RefreshExpired => (400, "invalid_grant", 700082, "The refresh token has expired due to inactivity. The token was inactive for 90.00:00:00."),
            TokenFailure.RefreshMalformed => (400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid."),
            TokenFailure.RefreshUnknown => (400, "invalid_grant", 70000, "The provided value for the input parameter 'refresh_token' or 'assertion' is not valid."),
            TokenFailure.InteractionRequired => (400, "interaction_required", 50076, "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'."),
            TokenFailure.ConsentRequired => (400, "invalid_grant", 65001, $"The user or administrator has not consented to use the application with ID '{detail}'. Send an interactive authorization request for this user and resource."),
            _ => (400, "invalid_grant", 70000, "The provided value for the 'code' parameter is not valid."),
        };
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var traceId = Guid.NewGuid().ToString();
        var correlationId = Guid.NewGuid().ToString();
        var body = new JsonObject
        {
            ["error"] = error,
            ["error_description"] = $"AADSTS{code}: {message} Trace ID: {traceId} Correlation ID: {correlationId} Timestamp: {now}",
            ["error_codes"] = new JsonArray(code),
            ["timestamp"] = now,
            ["trace_id"] = traceId,
            ["correlation_id"] = correlationId,
            ["error_uri"] = $"https://login.microsoftonline.com/error?code={code}",
        };
        if (failure == TokenFailure.ConsentRequired)
        {
            // As seen in the wild (learn.microsoft.com Q&A 1520238): invalid_grant carrying suberror consent_required.
            body["suberror"] = "consent_required";
        }

        return FakeResult.TokenJson(body, status);
    }

    public override JsonObject CodeResponse(TokenResponseParts parts)
    {
        var body = new JsonObject
        {
            ["token_type"] = "Bearer",
            ["scope"] = parts.Scope,
            ["expires_in"] = parts.ExpiresInSeconds,
            ["ext_expires_in"] = parts.ExpiresInSeconds,
            ["access_token"] = parts.AccessToken,
        };
        if (parts.RefreshToken is not null)
        {
            body["refresh_token"] = parts.RefreshToken;
        }

        if (parts.WantsIdToken)
        {
            body["id_token"] = IdTokens.Create($"https://login.microsoftonline.com/{TenantId}/v2.0", parts.ClientId, new JsonObject
            {
                ["sub"] = parts.Account.Id,
                ["oid"] = parts.Account.Id,
                ["tid"] = TenantId,
                ["name"] = parts.Account.DisplayName,
                ["preferred_username"] = parts.Account.Email,
            }, parts.Now);
        }

        return body;
    }

    /// <summary>Same shape as the code response, always with a new refresh_token (rotation).</summary>
    public override JsonObject RefreshResponse(TokenResponseParts parts) => CodeResponse(parts);
}
