using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace Mwap.Api.Features.Integrations.OAuth;

/// <summary>What a state carries: who started which flow, and until when.</summary>
internal sealed record OAuthStatePayload(string TenantId, string IntegrationId, string UserId, long Timestamp, string Nonce, long Iat, long Exp);

/// <summary>
/// MWAP's state format (spec §7.3): <c>base64url({"p":payload,"s":hex(HMAC-SHA256(json(payload)))})</c>, so states issued by
/// the original stay readable. Signatures are compared in constant time; the HMAC covers the payload's exact JSON text.
/// </summary>
internal static class OAuthState
{
    public static string Create(OAuthStatePayload payload, byte[] key)
    {
        var p = new JsonObject
        {
            ["tenantId"] = payload.TenantId,
            ["integrationId"] = payload.IntegrationId,
            ["userId"] = payload.UserId,
            ["timestamp"] = payload.Timestamp,
            ["nonce"] = payload.Nonce,
            ["iat"] = payload.Iat,
            ["exp"] = payload.Exp,
        };
        var payloadJson = p.ToJsonString();
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(payloadJson)));
        var envelope = $"{{\"p\":{payloadJson},\"s\":\"{signature}\"}}";
        return Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(envelope));
    }

    public enum Failure
    {
        None,
        Malformed,
        BadSignature,
        BadStructure,
    }

    /// <summary>Decodes and verifies; the payload is returned only when the signature matches.</summary>
    public static (Failure Failure, OAuthStatePayload? Payload) Verify(string state, byte[] key)
    {
        JsonElement root;
        string payloadJson;
        string signature;
        try
        {
            using var document = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(state.Trim()));
            root = document.RootElement.Clone();
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("p", out var p) || p.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("s", out var s) || s.ValueKind != JsonValueKind.String)
            {
                return (Failure.Malformed, null);
            }

            payloadJson = p.GetRawText();
            signature = s.GetString()!;
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
        {
            return (Failure.Malformed, null);
        }

        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(payloadJson));
        byte[] given;
        try
        {
            given = Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            return (Failure.BadSignature, null);
        }

        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return (Failure.BadSignature, null);
        }

        var payload = root.GetProperty("p");
        string? Str(string name) => payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        long? Num(string name) => payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
        if (Str("tenantId") is not { } tenant || Str("integrationId") is not { } integration || Str("userId") is not { } user ||
            Num("timestamp") is not { } timestamp || Str("nonce") is not { } nonce ||
            !Infrastructure.Persistence.ObjectId.IsValid(tenant) || !Infrastructure.Persistence.ObjectId.IsValid(integration))
        {
            return (Failure.BadStructure, null);
        }

        return (Failure.None, new OAuthStatePayload(tenant.ToLowerInvariant(), integration.ToLowerInvariant(), user, timestamp, nonce,
            Num("iat") ?? timestamp / 1000, Num("exp") ?? (timestamp / 1000) + 600));
    }
}
