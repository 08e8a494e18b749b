using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Integrations.OAuth;

/// <summary>
/// Binds a connect flow to the browser that started it. <c>initiate</c> sets a cookie holding a random value (HttpOnly,
/// Secure, SameSite=Lax so the provider's top-level redirect carries it, scoped to the callback's path, living as long as
/// the flow) and stores only its hash with the flow; the callback refuses a flow whose browser does not present it. An
/// attacker who sends a victim their own authorization URL therefore cannot have the victim's consent land in their tenant.
/// One cookie per integration, so connecting two integrations at once in one browser works.
/// </summary>
internal static class OAuthBrowserBinding
{
    private const string CookiePrefix = "__Secure-mwap-oauth-";

    public static string CookieName(string integrationId) => CookiePrefix + integrationId;

    public static string NewValue() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string value) => SecretHash.ToHex(value);

    /// <summary>Constant-time comparison of the presented cookie with the stored hash; false when either is missing.</summary>
    public static bool Matches(string? presented, string? storedHash) => SecretHash.Matches(presented, storedHash);

    /// <summary>The cookie's attributes; a zero <paramref name="maxAge"/> deletes it.</summary>
    public static CookieOptions CookieOptions(string callbackPath, TimeSpan maxAge) => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Lax,
        Path = callbackPath,
        MaxAge = maxAge,
        IsEssential = true,
    };
}
