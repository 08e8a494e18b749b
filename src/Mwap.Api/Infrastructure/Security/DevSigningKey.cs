using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Infrastructure.Security;

/// <summary>
/// Development mode's local issuer: an RSA key kept in <c>data/dev-signing-key.pem</c> (created on first use),
/// published as a JWKS and used by the <c>dev-token</c> verb. Never used when an authority is configured.
/// Singleton: the key is loaded once and is immutable.
/// </summary>
internal sealed class DevSigningKey
{
    private readonly Lazy<RsaSecurityKey> _key;

    public DevSigningKey(DataPaths paths) => _key = new Lazy<RsaSecurityKey>(() => LoadOrCreate(paths.File("dev-signing-key.pem")));

    public RsaSecurityKey Key => _key.Value;

    public string CreateToken(string issuer, string audience, string subject, string? email, string? name, TimeSpan lifetime, DateTimeOffset now)
    {
        var claims = new Dictionary<string, object> { ["sub"] = subject };
        if (!string.IsNullOrWhiteSpace(email))
        {
            claims["email"] = email;
        }

        if (!string.IsNullOrWhiteSpace(name))
        {
            claims["name"] = name;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>The public half as a JWKS document.</summary>
    public object Jwks()
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(Key.Rsa.ExportParameters(false)) { KeyId = Key.KeyId });
        return new { keys = new[] { new { kty = jwk.Kty, use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } } };
    }

    private static RsaSecurityKey LoadOrCreate(string path)
    {
        var rsa = RSA.Create();
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            rsa.KeySize = 2048;
            var pem = rsa.ExportPkcs8PrivateKeyPem();
            var temp = path + ".tmp";
            File.WriteAllText(temp, pem);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(temp, path, overwrite: false);
        }

        var kid = Base64UrlEncoder.Encode(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo())[..12]);
        return new RsaSecurityKey(rsa) { KeyId = kid };
    }
}
