using System.Security.Cryptography;
using System.Text;

namespace Mwap.Api.Infrastructure.Security;

/// <summary>
/// How a bearer-style secret we hand out (a browser-binding cookie, a webhook client state or channel token) is kept:
/// only its SHA-256, as lower-case hex, is stored, and a presented value is checked against it in constant time. The
/// secrets are random 256-bit values, so a plain hash (no salt, no stretching) is enough: there is nothing to guess.
/// </summary>
internal static class SecretHash
{
    /// <summary>The SHA-256 of the UTF-8 bytes of <paramref name="secret"/>, as 64 lower-case hex characters.</summary>
    public static string ToHex(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>
    /// Whether <paramref name="presented"/> hashes to <paramref name="storedHex"/>; false when either is missing or the
    /// stored value is not a SHA-256 in hex. The hash is computed and compared even then, so a missing row takes as long
    /// to refuse as a wrong secret.
    /// </summary>
    public static bool Matches(string? presented, string? storedHex)
    {
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(presented ?? ""));
        var wellFormed = storedHex is { Length: 64 } && storedHex.All(char.IsAsciiHexDigit);
        var expected = wellFormed ? Convert.FromHexString(storedHex!) : new byte[32];
        return CryptographicOperations.FixedTimeEquals(actual, expected) && wellFormed && !string.IsNullOrEmpty(presented);
    }
}
