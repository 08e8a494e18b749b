using System.Text.Json.Nodes;
using Mwap.FakeProviders.Hosting;

namespace Mwap.FakeProviders.OAuth;

/// <summary>Everything the shared authorize and token handlers need to know about one provider's OAuth dialect.</summary>
internal abstract class OAuthProfile
{
    public abstract TimeSpan NewAccessTokenLifetime();
    public virtual TimeSpan? DefaultRefreshTokenLifetime => null;
    public virtual int? MaxRefreshTokensPerClient => null;
    public virtual bool RotatesRefreshTokens => false;

    /// <summary>Dropbox lets a PKCE client omit its secret on exchange and refresh; Google and Microsoft (confidential) do not.</summary>
    public virtual bool SecretOptionalWithPkce => false;

    public virtual bool ScopeRequired => true;

    /// <summary>Scopes granted when the authorize request names none (Dropbox: all scopes configured on the app).</summary>
    public virtual IReadOnlyList<string> ScopesWhenNoneRequested => [];

    public abstract string NewCode();
    public abstract string NewAccessToken();
    public abstract string NewRefreshToken();

    /// <summary>Whether a garbage string could ever have been one of this provider's refresh tokens.</summary>
    public abstract bool LooksLikeRefreshToken(string value);

    /// <summary>The offline switch: Google access_type=offline, Dropbox token_access_type=offline, Microsoft offline_access.</summary>
    public abstract bool IssuesRefreshToken(IQueryCollection query, IReadOnlyList<string> scopes, bool consentedBefore);

    /// <summary>Error page shown in the browser (no redirect) for an unknown client or an unregistered redirect_uri.</summary>
    public abstract FakeResult AuthorizePageError(AuthorizeFailure failure, string clientId, string? redirectUri);

    public virtual string? RedirectErrorDescription(string error) => null;

    public virtual void AddRedirectParameters(Dictionary<string, string?> parameters, IReadOnlyList<string> grantedScopes)
    {
    }

    public abstract FakeResult TokenError(TokenFailure failure, string? detail);

    public abstract JsonObject CodeResponse(TokenResponseParts parts);

    public abstract JsonObject RefreshResponse(TokenResponseParts parts);
}

internal enum AuthorizeFailure
{
    UnknownClient,
    RedirectMismatch,
}

internal enum TokenFailure
{
    NotForm,
    MissingParameter,
    UnsupportedGrantType,
    UnknownClient,
    InvalidClient,
    CodeUnknown,
    CodeReused,
    CodeExpired,
    RedirectMismatch,
    VerifierMissing,
    VerifierMismatch,
    RefreshMalformed,
    RefreshUnknown,
    RefreshRevoked,
    RefreshExpired,

    /// <summary>Microsoft: MFA or another Conditional Access step is needed (<c>interaction_required</c>, AADSTS50076).</summary>
    InteractionRequired,

    /// <summary>Microsoft: consent was withdrawn or never given (<c>invalid_grant</c>, AADSTS65001, <c>suberror: consent_required</c>).</summary>
    ConsentRequired,
}

internal sealed record TokenResponseParts(
    string AccessToken,
    TimeSpan ExpiresIn,
    string? RefreshToken,
    IReadOnlyList<string> Scopes,
    FakeAccount Account,
    string ClientId,
    DateTimeOffset Now)
{
    public long ExpiresInSeconds => (long)ExpiresIn.TotalSeconds;
    public string Scope => string.Join(' ', Scopes);
    public bool WantsIdToken => Scopes.Contains("openid");
}
