using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Mwap.Api.Features.Integrations.OAuth;

namespace Mwap.Api.Features.Operations;

/// <summary>
/// Signs and checks the Hangfire dashboard's two credentials: a link token (5 minutes, exchanged once for a cookie) and
/// the cookie's session token (30 minutes). Each is <c>payload.mac</c>, the payload naming purpose, expiry and user, the
/// MAC an HMAC-SHA256 under a key derived (HKDF, own label) from the OAuth state secret, so no new secret needs
/// configuring and a token of one kind never passes as another. Compared in constant time. Singleton: holds only the key.
/// </summary>
internal sealed class DashboardAccess(OAuthKeys keys, TimeProvider time)
{
    public const string LinkPurpose = "link";
    public const string SessionPurpose = "session";
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromMinutes(30);

    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, keys.StateKey, 32, info: Encoding.UTF8.GetBytes("mwap/jobs-dashboard/v1"));

    public (string Token, DateTime ExpiresAt) Issue(string purpose, string userId)
    {
        var lifetime = purpose == LinkPurpose ? LinkLifetime : SessionLifetime;
        var expires = time.GetUtcNow().Add(lifetime);
        var payload = Encoding.UTF8.GetBytes($"v1|{purpose}|{expires.ToUnixTimeSeconds()}|{userId}");
        return ($"{WebEncoders.Base64UrlEncode(payload)}.{WebEncoders.Base64UrlEncode(Mac(payload))}", expires.UtcDateTime);
    }

    /// <summary>The user the token was issued to, or null when it is forged, of another purpose, malformed or expired.</summary>
    public string? Validate(string? token, string purpose)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2048 || token.Split('.') is not [var encodedPayload, var encodedMac])
        {
            return null;
        }

        byte[] payload, mac;
        try
        {
            payload = WebEncoders.Base64UrlDecode(encodedPayload);
            mac = WebEncoders.Base64UrlDecode(encodedMac);
        }
        catch (FormatException)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, Mac(payload)))
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(payload).Split('|', 4);
        if (parts is not ["v1", var p, var expiry, var userId] || p != purpose || !long.TryParse(expiry, out var seconds) ||
            DateTimeOffset.FromUnixTimeSeconds(seconds) <= time.GetUtcNow() || userId.Length == 0)
        {
            return null;
        }

        return userId;
    }

    private byte[] Mac(byte[] payload) => HMACSHA256.HashData(_key, payload);
}
