using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

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

    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>Constant-time comparison of the presented cookie with the stored hash; false when either is missing.</summary>
    public static bool Matches(string? presented, string? storedHash) =>
        !string.IsNullOrEmpty(presented) && storedHash is { Length: 64 } &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presented)), Encoding.ASCII.GetBytes(storedHash));

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
