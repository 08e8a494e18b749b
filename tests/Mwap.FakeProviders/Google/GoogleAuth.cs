using Mwap.FakeProviders.Hosting;
using Mwap.FakeProviders.Tokens;

namespace Mwap.FakeProviders.Google;

internal static class GoogleAuth
{
    private const string DriveScopePrefix = "https://www.googleapis.com/auth/drive";

    /// <summary>
    /// Null when the bearer token may call the API; otherwise Google's 401 (or 403 insufficientPermissions when
    /// granular consent left out every Drive scope).
    /// </summary>
    public static FakeResult? Reject(HttpContext context, FakeProviderState provider, bool needsDriveScope)
    {
        if (Bearer.From(context.Request) is null)
        {
            return GoogleErrors.Result(401, "required", "Login Required.", location: "Authorization", locationType: "header");
        }

        if (Bearer.Check(context.Request, provider, out var token) != TokenCheck.Valid)
        {
            return GoogleErrors.InvalidCredentials();
        }

        return needsDriveScope && !token!.Grant.Scopes.Any(s => s.StartsWith(DriveScopePrefix, StringComparison.Ordinal))
            ? GoogleErrors.InsufficientScopes()
            : null;
    }
}
