using System.Net;
using System.Net.Http.Headers;
using Microsoft.IdentityModel.Tokens;

namespace Mwap.Api.IntegrationTests.Infrastructure.Security;

/// <summary>
/// Every way a bearer token can be wrong ends in 401 auth/unauthorized, through the real JwtBearer path; the message
/// says which way (missing header, another scheme, malformed, expired, not accepted) and nothing about keys.
/// </summary>
public sealed class AuthenticationTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    private const string ProtectedUrl = "/api/v1/users/me/roles";

    [Fact]
    public async Task ValidToken_Returns200()
    {
        var sub = TestUsers.NewSubject();
        var data = await factory.CreateClientFor(sub).GetAsync(ProtectedUrl).ReadDataAsync();
        Assert.Equal(sub, data.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task NoToken_Returns401()
    {
        var response = await factory.CreateClient().GetAsync(ProtectedUrl);
        await AssertUnauthorizedAsync(response, "Missing Authorization header");
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string> MalformedBearers => new()
    {
        "abc",
        "not.a.jwt",
        "eyJhbGciOiJSUzI1NiJ9.bm90LWpzb24.c2ln",
        "a.b.c.d.e",
        "....",
    };

    [Theory]
    [MemberData(nameof(MalformedBearers))]
    public async Task NotAJwt_Returns401(string bearer)
    {
        var response = await factory.CreateClientWithToken(bearer).GetAsync(ProtectedUrl);
        await AssertUnauthorizedAsync(response, "Malformed token");
    }

    [Fact]
    public async Task WrongScheme_Returns401()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", factory.Issuer.CreateToken(TestUsers.NewSubject()));
        await AssertUnauthorizedAsync(await client.GetAsync(ProtectedUrl), "Unsupported authorization scheme");
    }

    [Fact]
    public async Task LowercaseScheme_IsAccepted()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "bearer " + factory.Issuer.CreateToken(TestUsers.NewSubject()));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ProtectedUrl)).StatusCode);
    }

    [Fact]
    public async Task UnknownKid_Returns401()
    {
        var token = factory.Issuer.CreateTokenWithUnpublishedKey(TestUsers.NewSubject());
        await (await factory.CreateClientWithToken(token).GetAsync(ProtectedUrl)).AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/unauthorized");
    }

    [Fact]
    public async Task TamperedSignature_Returns401()
    {
        var token = factory.Issuer.CreateToken(TestUsers.NewSubject());
        var parts = token.Split('.');
        var signature = parts[2].ToCharArray();
        signature[10] = signature[10] == 'A' ? 'B' : 'A';
        var tampered = $"{parts[0]}.{parts[1]}.{new string(signature)}";
        await (await factory.CreateClientWithToken(tampered).GetAsync(ProtectedUrl)).AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/unauthorized");
    }

    [Fact]
    public async Task TamperedPayload_Returns401()
    {
        var token = factory.Issuer.CreateToken("auth0|mallory");
        var other = factory.Issuer.CreateToken("auth0|alice-admin");
        var forged = $"{token.Split('.')[0]}.{other.Split('.')[1]}.{token.Split('.')[2]}";
        await (await factory.CreateClientWithToken(forged).GetAsync(ProtectedUrl)).AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/unauthorized");
    }

    [Fact]
    public async Task WrongIssuer_Returns401()
    {
        var token = factory.Issuer.CreateToken(TestUsers.NewSubject(), d => d.Issuer = "https://evil.example.com/");
        await AssertUnauthorizedAsync(await factory.CreateClientWithToken(token).GetAsync(ProtectedUrl), "Invalid token");
    }

    [Fact]
    public async Task WrongAudience_Returns401()
    {
        var token = factory.Issuer.CreateToken(TestUsers.NewSubject(), d => d.Audience = "https://some-other-api");
        await AssertUnauthorizedAsync(await factory.CreateClientWithToken(token).GetAsync(ProtectedUrl), "Invalid token");
    }

    [Fact]
    public async Task ExpiredToken_Returns401()
    {
        var token = factory.Issuer.CreateToken(TestUsers.NewSubject(), d =>
        {
            d.IssuedAt = DateTime.UtcNow.AddHours(-2);
            d.NotBefore = DateTime.UtcNow.AddHours(-2);
            d.Expires = DateTime.UtcNow.AddMinutes(-1);
        });
        await AssertUnauthorizedAsync(await factory.CreateClientWithToken(token).GetAsync(ProtectedUrl), "Expired token");
    }

    [Fact]
    public async Task NotYetValidToken_Returns401()
    {
        var token = factory.Issuer.CreateToken(TestUsers.NewSubject(), d =>
        {
            d.NotBefore = DateTime.UtcNow.AddMinutes(10);
            d.Expires = DateTime.UtcNow.AddMinutes(40);
        });
        await (await factory.CreateClientWithToken(token).GetAsync(ProtectedUrl)).AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/unauthorized");
    }

    [Fact]
    public async Task AlgNone_Returns401()
    {
        var token = factory.Issuer.CreateUnsignedToken(TestUsers.NewSubject());
        await (await factory.CreateClientWithToken(token).GetAsync(ProtectedUrl)).AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/unauthorized");
    }

    [Fact]
    public async Task Hs256_Returns401()
    {
        var token = factory.Issuer.CreateHs256Token(TestUsers.NewSubject());
        await (await factory.CreateClientWithToken(token).GetAsync(ProtectedUrl)).AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/unauthorized");
    }

    [Fact]
    public async Task Rs384_Returns401()
    {
        var token = factory.Issuer.CreateToken(TestUsers.NewSubject(), algorithm: SecurityAlgorithms.RsaSha384);
        await (await factory.CreateClientWithToken(token).GetAsync(ProtectedUrl)).AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/unauthorized");
    }

    [Fact]
    public async Task MissingSub_Returns401InvalidToken()
    {
        var token = factory.Issuer.CreateToken("ignored", d => d.Claims["sub"] = null!);
        await (await factory.CreateClientWithToken(token).GetAsync(ProtectedUrl)).AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/invalid-token");
    }

    [Fact]
    public async Task UnknownApiRoute_WithoutToken_Returns401_AndWithToken_Returns404()
    {
        await (await factory.CreateClient().GetAsync("/api/v1/does-not-exist")).AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/unauthorized");
        var response = await factory.CreateClientFor(TestUsers.NewSubject()).GetAsync("/api/v1/does-not-exist?x=1");
        var error = await response.AssertErrorAsync(HttpStatusCode.NotFound, "route/not-found");
        Assert.Equal("Endpoint not found: GET /api/v1/does-not-exist?x=1", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task PublicEndpoints_NeedNoToken()
    {
        var client = factory.CreateClient();
        var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("""{"status":"ok"}""", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/openapi")).StatusCode);
    }

    /// <summary>401 auth/unauthorized whose message starts with <paramref name="which"/> and reveals nothing about keys or expected values.</summary>
    private async Task AssertUnauthorizedAsync(HttpResponseMessage response, string which)
    {
        var message = (await response.AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/unauthorized")).GetProperty("message").GetString()!;
        Assert.StartsWith(which, message, StringComparison.Ordinal);
        foreach (var secret in new[] { "kid", "IDX", TestIssuer.Audience, factory.Issuer.Authority, "audience", "key" })
        {
            Assert.DoesNotContain(secret, message, StringComparison.OrdinalIgnoreCase);
        }
    }
}

public sealed class IssuerKeyRotationTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    [Fact]
    public async Task NewKidAtIssuer_IsPickedUp()
    {
        var sub = TestUsers.NewSubject();
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClientFor(sub).GetAsync("/api/v1/users/me/roles")).StatusCode);
        var fetchesBefore = factory.Issuer.JwksRequests;

        factory.Issuer.RotateKey();
        var response = await factory.CreateClientFor(sub).GetAsync("/api/v1/users/me/roles");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(factory.Issuer.JwksRequests > fetchesBefore, "the server should have refetched the JWKS for the new kid");
    }
}
