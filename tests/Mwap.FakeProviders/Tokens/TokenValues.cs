using System.Security.Cryptography;

namespace Mwap.FakeProviders.Tokens;

/// <summary>
/// Opaque random token strings. Lengths follow the real providers (Microsoft's personal-account access tokens run past
/// a kilobyte) so that a column sized for a JWT-free world fails in tests rather than in production.
/// </summary>
internal static class TokenValues
{
    private const string UrlSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string Random(string prefix, int length) => prefix + RandomNumberGenerator.GetString(UrlSafe, length);

    public static string RandomAlphanumeric(string prefix, int length) =>
        prefix + RandomNumberGenerator.GetString(Alphanumeric, length);
}
