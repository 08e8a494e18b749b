using Microsoft.AspNetCore.WebUtilities;
using Mwap.FakeProviders.Hosting;
using Mwap.FakeProviders.Tokens;

namespace Mwap.FakeProviders.OAuth;

/// <summary>
/// The browser step, with the user consenting at once: 302 back to redirect_uri with code and state. Problems the
/// provider cannot safely report to the redirect_uri (unknown client, unregistered redirect) get an error page instead.
/// </summary>
internal static class AuthorizeEndpoint
{
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    public static IResult Handle(HttpContext context, FakeProviderState provider)
    {
        provider.CountAuthorize();
        var query = context.Request.Query;
        var clientId = query["client_id"].ToString();
        var redirectUri = query["redirect_uri"].ToString();
        var profile = provider.Profile;
        if (clientId != provider.ClientId)
        {
            return profile.AuthorizePageError(AuthorizeFailure.UnknownClient, clientId, redirectUri);
        }

        if (!provider.AcceptsRedirectUri(redirectUri))
        {
            return profile.AuthorizePageError(AuthorizeFailure.RedirectMismatch, clientId, redirectUri);
        }

        var state = query["state"].ToString();
        var scopes = query["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var challenge = query["code_challenge"].ToString();
        var method = query["code_challenge_method"].ToString() is { Length: > 0 } m ? m : "plain";
        var error = query["response_type"] != "code" ? "unsupported_response_type"
            : provider.RequireState && state.Length == 0 ? "invalid_request"
            : profile.ScopeRequired && scopes.Length == 0 ? "invalid_request"
            : challenge.Length > 0 && method is not ("S256" or "plain") ? "invalid_request"
            : challenge.Length == 0 && query.ContainsKey("code_challenge_method") ? "invalid_request"
            : provider.TakeDenial() ? "access_denied"
            : null;
        if (error is not null)
        {
            return Back(redirectUri, new() { ["error"] = error, ["error_description"] = profile.RedirectErrorDescription(error), ["state"] = state });
        }

        var granted = provider.GrantedScopes(scopes.Length > 0 ? scopes : profile.ScopesWhenNoneRequested);
        var consentedBefore = provider.Tokens.RecordConsent(clientId);
        var code = new AuthorizationCode(profile.NewCode(), clientId, redirectUri, challenge.Length > 0 ? challenge : null,
            challenge.Length > 0 ? method : null, granted, profile.IssuesRefreshToken(query, granted, consentedBefore),
            provider.Tokens.Now + CodeLifetime);
        provider.Tokens.AddCode(code);
        var parameters = new Dictionary<string, string?> { ["code"] = code.Value, ["state"] = state };
        profile.AddRedirectParameters(parameters, granted);
        return Back(redirectUri, parameters);
    }

    private static FakeResult Back(string redirectUri, Dictionary<string, string?> parameters) =>
        FakeResult.Redirect(QueryHelpers.AddQueryString(redirectUri, parameters.Where(p => !string.IsNullOrEmpty(p.Value))));
}
