using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Mwap.FakeProviders.OAuth;

/// <summary>RFC 7636 verification: S256 compares base64url(SHA-256(verifier)); plain compares the strings.</summary>
internal static class Pkce
{
    public static bool Verify(string challenge, string method, string verifier)
    {
        var expected = method == "S256"
            ? Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))
            : verifier;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(challenge));
    }
}
