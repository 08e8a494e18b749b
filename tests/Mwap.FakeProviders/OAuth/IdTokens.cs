using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using Mwap.FakeProviders.Tokens;

namespace Mwap.FakeProviders.OAuth;

/// <summary>
/// A JWT-shaped id_token whose claims a client can read. The signature is random: no real key signs it, so a client
/// that verifies id_tokens must trust the fake explicitly.
/// </summary>
internal static class IdTokens
{
    public static string Create(string issuer, string audience, JsonObject claims, DateTimeOffset now)
    {
        claims["iss"] = issuer;
        claims["aud"] = audience;
        claims["iat"] = now.ToUnixTimeSeconds();
        claims["exp"] = now.AddHours(1).ToUnixTimeSeconds();
        var header = """{"alg":"RS256","kid":"fake-provider","typ":"JWT"}""";
        return $"{Encode(header)}.{Encode(claims.ToJsonString())}.{TokenValues.Random("", 342)}";
    }

    private static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
