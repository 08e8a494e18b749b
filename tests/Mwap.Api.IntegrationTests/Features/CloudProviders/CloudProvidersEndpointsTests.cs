using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.CloudProviders;

/// <summary>Cloud provider routes #25–#29: the secret is stored encrypted and never leaves in any response.</summary>
public sealed class CloudProvidersEndpointsTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    private static object Body(string? name = null, string? slug = null, string secret = ApiSetup.Secret, string authUrl = "https://auth.example.com/authorize") => new
    {
        name = name ?? TestUsers.UniqueName("Provider"),
        slug = slug ?? "p-" + Guid.NewGuid().ToString("N")[..12],
        scopes = new[] { "files.read", "offline_access" },
        authUrl,
        tokenUrl = "https://auth.example.com/token",
        clientId = "client-id",
        clientSecret = secret,
        metadata = new { apiBaseUrl = "https://api.example.com" },
    };

    [Fact]
    public async Task Create_Returns201_WithSecretRedacted_AndStoresItEncrypted()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var secret = "plain-secret-" + Guid.NewGuid().ToString("N");
        var response = await admin.PostJsonAsync("/api/v1/cloud-providers", Body(secret: secret));
        var body = await response.Content.ReadAsStringAsync();
        var provider = await response.ReadDataAsync(HttpStatusCode.Created);

        Assert.Equal("[REDACTED]", provider.GetProperty("clientSecret").GetString());
        Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("mwap:v1:", body, StringComparison.Ordinal);
        Assert.Equal("authorization_code", provider.GetProperty("grantType").GetString());
        Assert.Equal("POST", provider.GetProperty("tokenMethod").GetString());
        Assert.Equal("https://api.example.com", provider.GetProperty("metadata").GetProperty("apiBaseUrl").GetString());

        var id = provider.GetProperty("_id").GetString();
        var stored = await factory.WithDbAsync(db => db.Set<CloudProvider>().AsNoTracking().SingleAsync(p => p.Id == id));
        Assert.StartsWith("mwap:v1:", stored.EncryptedClientSecret, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stored.EncryptedClientSecret, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoResponse_EverContainsTheSecretOrItsCiphertext()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var secret = "plain-secret-" + Guid.NewGuid().ToString("N");
        var id = (await admin.PostJsonAsync("/api/v1/cloud-providers", Body(secret: secret)).ReadDataAsync(HttpStatusCode.Created)).GetProperty("_id").GetString();
        var ciphertext = await factory.WithDbAsync(db => db.Set<CloudProvider>().Where(p => p.Id == id).Select(p => p.EncryptedClientSecret).SingleAsync());
        var user = factory.CreateClientFor(TestUsers.NewSubject());

        var bodies = new List<string>
        {
            await (await user.GetAsync("/api/v1/cloud-providers")).Content.ReadAsStringAsync(),
            await (await user.GetAsync($"/api/v1/cloud-providers/{id}")).Content.ReadAsStringAsync(),
            await (await admin.PatchJsonAsync($"/api/v1/cloud-providers/{id}", new { displayName = "Renamed" })).Content.ReadAsStringAsync(),
            await (await admin.PatchJsonAsync($"/api/v1/cloud-providers/{id}", new { clientSecret = secret + "-new" })).Content.ReadAsStringAsync(),
        };

        foreach (var body in bodies)
        {
            Assert.Contains("\"clientSecret\":\"[REDACTED]\"", body, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
            Assert.DoesNotContain(ciphertext, body, StringComparison.Ordinal);
            Assert.DoesNotContain("mwap:v1:", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Database_HoldsNoPlaintextClientSecret()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var secret = "scan-me-" + Guid.NewGuid().ToString("N");
        await admin.PostJsonAsync("/api/v1/cloud-providers", Body(secret: secret)).ReadDataAsync(HttpStatusCode.Created);

        var dump = await factory.WithDbAsync(async db =>
        {
            var providers = await db.Set<CloudProvider>().AsNoTracking().ToListAsync();
            var audits = await db.AuditLogs.AsNoTracking().ToListAsync();
            return JsonSerializer.Serialize(providers) + JsonSerializer.Serialize(audits);
        });
        Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_WithNewSecret_ReencryptsIt()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var id = (await admin.CreateProviderAsync()).GetProperty("_id").GetString();
        var before = await factory.WithDbAsync(db => db.Set<CloudProvider>().Where(p => p.Id == id).Select(p => p.EncryptedClientSecret).SingleAsync());
        await admin.PatchJsonAsync($"/api/v1/cloud-providers/{id}", new { clientSecret = "another-secret" }).ReadDataAsync();
        var after = await factory.WithDbAsync(db => db.Set<CloudProvider>().Where(p => p.Id == id).Select(p => p.EncryptedClientSecret).SingleAsync());
        Assert.NotEqual(before, after);
        Assert.StartsWith("mwap:v1:", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuplicateNameOrSlug_Returns409()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var first = await admin.CreateProviderAsync();
        await (await admin.PostJsonAsync("/api/v1/cloud-providers", Body(name: first.GetProperty("name").GetString())))
            .AssertErrorAsync(HttpStatusCode.Conflict, "cloud-provider/name-exists");
        await (await admin.PostJsonAsync("/api/v1/cloud-providers", Body(slug: first.GetProperty("slug").GetString())))
            .AssertErrorAsync(HttpStatusCode.Conflict, "cloud-provider/slug-exists");
        var second = await admin.CreateProviderAsync();
        await (await admin.PatchJsonAsync($"/api/v1/cloud-providers/{second.GetProperty("_id").GetString()}", new { slug = first.GetProperty("slug").GetString() }))
            .AssertErrorAsync(HttpStatusCode.Conflict, "cloud-provider/slug-exists");
    }

    [Theory]
    [InlineData("A")]
    [InlineData("UPPER")]
    [InlineData("has space")]
    [InlineData("under_score")]
    [InlineData("this-slug-is-longer-than-20")]
    public async Task BadSlug_Returns400(string slug)
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var error = await (await admin.PostJsonAsync("/api/v1/cloud-providers", Body(slug: slug))).AssertErrorAsync(HttpStatusCode.BadRequest, "cloud-provider/invalid-input");
        Assert.True(error.GetProperty("details").TryGetProperty("slug", out _));
    }

    [Theory]
    [InlineData("http://auth.example.com/authorize")]
    [InlineData("ftp://auth.example.com/authorize")]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("https://user:pass@auth.example.com/")]
    public async Task NonHttpsUrl_Returns400(string authUrl)
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var before = await factory.WithDbAsync(db => db.Set<CloudProvider>().CountAsync());
        var error = await (await admin.PostJsonAsync("/api/v1/cloud-providers", Body(authUrl: authUrl))).AssertErrorAsync(HttpStatusCode.BadRequest, "cloud-provider/invalid-input");
        Assert.True(error.GetProperty("details").TryGetProperty("authUrl", out _));
        Assert.Equal(before, await factory.WithDbAsync(db => db.Set<CloudProvider>().CountAsync()));
    }

    [Fact]
    public async Task MalformedId_Returns400WithProviderCode_AndMissingReturns404()
    {
        var user = factory.CreateClientFor(TestUsers.NewSubject());
        await (await user.GetAsync("/api/v1/cloud-providers/not-an-id")).AssertErrorAsync(HttpStatusCode.BadRequest, "cloud-provider/invalid-input");
        await (await user.GetAsync("/api/v1/cloud-providers/0123456789abcdef01234567")).AssertErrorAsync(HttpStatusCode.NotFound, "cloud-provider/not-found");
    }

    [Fact]
    public async Task Delete_InUse_Returns409_ElseReturns204()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        await (await setup.Admin.DeleteAsync($"/api/v1/cloud-providers/{setup.ProviderId}")).AssertErrorAsync(HttpStatusCode.Conflict, "cloud-provider/in-use");
        var unused = (await setup.Admin.CreateProviderAsync()).GetProperty("_id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await setup.Admin.DeleteAsync($"/api/v1/cloud-providers/{unused}")).StatusCode);
        await (await setup.Admin.GetAsync($"/api/v1/cloud-providers/{unused}")).AssertErrorAsync(HttpStatusCode.NotFound, "cloud-provider/not-found");
    }

    [Fact]
    public async Task Writes_RequireSuperAdmin_ReadsAnyUser()
    {
        var user = factory.CreateClientFor(TestUsers.NewSubject());
        await (await user.PostJsonAsync("/api/v1/cloud-providers", Body())).AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/v1/cloud-providers")).StatusCode);
        await (await factory.CreateClient().GetAsync("/api/v1/cloud-providers")).AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/unauthorized");
    }
}

/// <summary>Plain-http provider URLs are accepted only when <c>CloudProviders:AllowInsecureUrls</c> is true.</summary>
public sealed class InsecureUrlsApiFactory : MwapApiFactory
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?> { ["CloudProviders:AllowInsecureUrls"] = "true" };
}

public sealed class InsecureProviderUrlsTests(InsecureUrlsApiFactory factory) : IClassFixture<InsecureUrlsApiFactory>
{
    [Fact]
    public async Task HttpUrls_AreAccepted_WhenAllowed()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var provider = await admin.PostJsonAsync("/api/v1/cloud-providers", new
        {
            name = TestUsers.UniqueName("Local"),
            slug = "local-" + Guid.NewGuid().ToString("N")[..8],
            scopes = Array.Empty<string>(),
            authUrl = "http://127.0.0.1:5555/authorize",
            tokenUrl = "http://127.0.0.1:5555/token",
            clientId = "id",
            clientSecret = "secret",
        }).ReadDataAsync(HttpStatusCode.Created);
        Assert.Equal("http://127.0.0.1:5555/authorize", provider.GetProperty("authUrl").GetString());
    }
}
