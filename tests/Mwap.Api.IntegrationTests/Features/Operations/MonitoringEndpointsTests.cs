using System.Net;
using System.Text.Json;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Tenants;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.Operations;

/// <summary>Its own database: the integration report counts every row there is.</summary>
public sealed class MonitoringApiFactory : MwapApiFactory;

/// <summary>The superadmin monitoring routes: figures from the database under test, in the envelope, and refused to everyone else.</summary>
public sealed class MonitoringEndpointsTests(MonitoringApiFactory factory) : IClassFixture<MonitoringApiFactory>
{
    private const string DatabaseUrl = "/api/v1/admin/monitoring/database";
    private const string IntegrationsUrl = "/api/v1/admin/monitoring/integrations";

    [Theory]
    [InlineData(DatabaseUrl)]
    [InlineData(IntegrationsUrl)]
    [InlineData("/api/v1/admin/jobs")]
    public async Task Routes_RefuseNonSuperAdmins(string url)
    {
        var user = factory.CreateClientFor(TestUsers.NewSubject());
        var anonymous = factory.CreateClient();

        await (await user.GetAsync(url)).AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Database_ReportsTheProviderSizesAndOurTables()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));

        var data = await admin.GetAsync(DatabaseUrl).ReadDataAsync();

        var postgres = factory.Database.Provider == "Postgres";
        Assert.Equal(postgres ? "postgresql" : "sqlite", data.GetProperty("provider").GetString());
        Assert.True(data.GetProperty("databaseSize").GetInt64() > 0);
        var tables = data.GetProperty("tables").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Contains("tenants", tables.Keys);
        Assert.Contains("cloud_integrations", tables.Keys);
        var superadmins = tables["superadmins"];
        if (superadmins.GetProperty("tableBytes").ValueKind == JsonValueKind.Null)
        {
            // Only SQLite builds without the dbstat table lack sizes, and the report says so.
            Assert.False(postgres);
            Assert.Contains("dbstat", data.GetProperty("note").GetString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.True(superadmins.GetProperty("tableBytes").GetInt64() > 0);
            Assert.True(superadmins.GetProperty("indexBytes").GetInt64() > 0, "superadmins has a unique index on user_id");
        }

        Assert.Equal(JsonValueKind.Array, data.GetProperty("slowestStatements").ValueKind);
        var connections = data.GetProperty("connections");
        if (postgres)
        {
            Assert.True(connections.GetProperty("inUse").GetInt64() >= 1);
            Assert.True(connections.GetProperty("max").GetInt64() >= connections.GetProperty("inUse").GetInt64());
            Assert.Equal(JsonValueKind.Null, data.GetProperty("sqlite").ValueKind);
        }
        else
        {
            Assert.Equal(JsonValueKind.Null, connections.GetProperty("inUse").ValueKind);
            Assert.Equal(0, data.GetProperty("slowestStatements").GetArrayLength());
            Assert.False(string.IsNullOrEmpty(data.GetProperty("note").GetString()));
            var sqlite = data.GetProperty("sqlite");
            Assert.Equal(data.GetProperty("databaseSize").GetInt64(), sqlite.GetProperty("pageCount").GetInt64() * sqlite.GetProperty("pageSize").GetInt64());
            Assert.True(tables["superadmins"].GetProperty("rowEstimate").GetInt64() >= 1);
        }
    }

    [Fact]
    public async Task Integrations_CountsByProviderStatusAndHealth_AndListsFailingOnesWithoutTokens()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var slug = $"test-{Guid.NewGuid():N}"[..20];
        var now = DateTime.UtcNow;
        var failingId = "";
        await factory.WithDbAsync(async db =>
        {
            var provider = new CloudProvider
            {
                Id = ObjectId.NewId(),
                Name = slug,
                Slug = slug,
                AuthUrl = "https://auth.example/authorize",
                TokenUrl = "https://auth.example/token",
                ClientId = "client",
                EncryptedClientSecret = "not-a-real-ciphertext",
                CreatedBy = "test",
            };
            db.Add(provider);
            CloudIntegration Add(string status, string health, DateTime? expires, string? lastError = null)
            {
                var tenant = new Tenant(ObjectId.NewId(), TestUsers.NewSubject(), TestUsers.UniqueName(), null, new TenantSettings());
                var integration = new CloudIntegration
                {
                    Id = ObjectId.NewId(),
                    TenantId = tenant.Id,
                    ProviderId = provider.Id,
                    CreatedBy = tenant.OwnerId,
                    Status = status,
                    EncryptedAccessToken = "secret-access-ciphertext",
                    TokenExpiresAt = expires,
                    Health = new IntegrationHealth { Status = health, LastError = lastError, ErrorCount = lastError is null ? 0 : 3, LastCheck = now.AddMinutes(-30) },
                };
                db.AddRange(tenant, integration);
                return integration;
            }

            Add(IntegrationStatus.Active, "healthy", now.AddMinutes(20));
            Add(IntegrationStatus.Active, "healthy", now.AddHours(5));
            failingId = Add(IntegrationStatus.Active, "unhealthy", now.AddHours(2), "Token is invalid or revoked").Id;
            Add(IntegrationStatus.Expired, "unhealthy", null, "The connection needs to be re-authorised");
            return await db.SaveChangesAsync();
        });

        var response = await admin.GetAsync(IntegrationsUrl);
        var body = await response.Content.ReadAsStringAsync();
        var data = await response.ReadDataAsync();

        var summary = data.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("provider").GetString() == slug);
        Assert.Equal(4, summary.GetProperty("total").GetInt32());
        Assert.Equal(3, summary.GetProperty("byStatus").GetProperty("active").GetInt32());
        Assert.Equal(1, summary.GetProperty("byStatus").GetProperty("expired").GetInt32());
        Assert.Equal(2, summary.GetProperty("byHealth").GetProperty("healthy").GetInt32());
        Assert.Equal(2, summary.GetProperty("byHealth").GetProperty("unhealthy").GetInt32());
        Assert.True(data.GetProperty("tokensExpiringWithinHour").GetInt32() >= 1);
        Assert.True(data.GetProperty("oldestHealthCheck").GetDateTime() <= now.AddMinutes(-29));
        var failing = data.GetProperty("failing").EnumerateArray().Where(f => f.GetProperty("provider").GetString() == slug).ToList();
        Assert.Equal(2, failing.Count);
        var revoked = Assert.Single(failing, f => f.GetProperty("id").GetString() == failingId);
        Assert.Equal("Token is invalid or revoked", revoked.GetProperty("lastError").GetString());
        Assert.False(string.IsNullOrEmpty(revoked.GetProperty("tenantId").GetString()));
        Assert.DoesNotContain("ciphertext", body, StringComparison.Ordinal);
    }
}
