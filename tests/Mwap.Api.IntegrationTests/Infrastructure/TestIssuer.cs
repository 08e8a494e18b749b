using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Mwap.Api.IntegrationTests.Infrastructure;

/// <summary>
/// A local OpenID Connect issuer on 127.0.0.1 (Kestrel): discovery document and JWKS over real HTTP, RS256 signing,
/// key rotation. The server under test fetches its keys exactly as it fetches Auth0's.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    public const string Audience = "https://api.mwap.test";

    private readonly List<RsaSecurityKey> _published = [];
    private readonly Lock _lock = new();
    private WebApplication? _app;
    private int _jwksRequests;

    public string Authority { get; private set; } = null!;
    public int JwksRequests => Volatile.Read(ref _jwksRequests);
    private RsaSecurityKey ActiveKey { get { lock (_lock) { return _published[^1]; } } }

    public static async Task<TestIssuer> StartAsync()
    {
        var issuer = new TestIssuer();
        issuer.RotateKey();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new
        {
            issuer = issuer.Authority,
            jwks_uri = issuer.Authority + ".well-known/jwks.json",
            id_token_signing_alg_values_supported = new[] { "RS256" },
        }));
        app.MapGet("/.well-known/jwks.json", () =>
        {
            Interlocked.Increment(ref issuer._jwksRequests);
            return Results.Json(issuer.Jwks());
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer.Authority = address.TrimEnd('/') + "/";
        issuer._app = app;
        return issuer;
    }

    /// <summary>Publishes a new key and signs with it from now on; older keys stay published.</summary>
    public string RotateKey()
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "kid-" + Guid.NewGuid().ToString("N")[..8] };
        lock (_lock)
        {
            _published.Add(key);
        }

        return key.KeyId;
    }

    /// <summary>A valid token for <paramref name="subject"/>; <paramref name="customize"/> may break it on purpose.</summary>
    public string CreateToken(string subject, Action<SecurityTokenDescriptor>? customize = null, SecurityKey? signingKey = null,
        string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-5),
            Expires = now.AddMinutes(30),
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["email"] = subject.Replace('|', '.') + "@example.test" },
            SigningCredentials = new SigningCredentials(signingKey ?? ActiveKey, algorithm),
        };
        customize?.Invoke(descriptor);
        if (descriptor.Claims.TryGetValue("sub", out var sub) && sub is null)
        {
            descriptor.Claims.Remove("sub");
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise valid claims.</summary>
    public string CreateUnsignedToken(string subject)
    {
        static string B64(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var exp = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds();
        var header = B64("""{"alg":"none","typ":"JWT"}""");
        var payload = B64($$"""{"sub":"{{subject}}","iss":"{{Authority}}","aud":"{{Audience}}","exp":{{exp}}}""");
        return $"{header}.{payload}.";
    }

    /// <summary>HS256, keyed with the public modulus of the issuer's key (the classic algorithm-confusion attack).</summary>
    public string CreateHs256Token(string subject)
    {
        var secret = new SymmetricSecurityKey(ActiveKey.Rsa.ExportParameters(false).Modulus!);
        return CreateToken(subject, signingKey: secret, algorithm: SecurityAlgorithms.HmacSha256);
    }

    /// <summary>A token signed by a key the issuer never published.</summary>
    public string CreateTokenWithUnpublishedKey(string subject) =>
        CreateToken(subject, signingKey: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "kid-unknown" });

    private object Jwks()
    {
        List<RsaSecurityKey> keys;
        lock (_lock)
        {
            keys = [.. _published];
        }

        return new
        {
            keys = keys.Select(k =>
            {
                var p = k.Rsa.ExportParameters(false);
                return new { kty = "RSA", use = "sig", alg = "RS256", kid = k.KeyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) };
            }).ToArray(),
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
