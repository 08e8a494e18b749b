using System.Net;
using System.Text.Json;

namespace Mwap.Api.IntegrationTests.Infrastructure;

/// <summary>Creates catalogue and tenant data through the public API, with unique names, for tests that need it.</summary>
public static class ApiSetup
{
    public const string Secret = "client-secret-do-not-leak-7f3a";

    public static async Task<JsonElement> CreateProviderAsync(this HttpClient admin, string? slug = null, string secret = Secret) =>
        await admin.PostJsonAsync("/api/v1/cloud-providers", new
        {
            name = TestUsers.UniqueName("Provider"),
            slug = slug ?? "p-" + Guid.NewGuid().ToString("N")[..12],
            scopes = new[] { "files.read" },
            authUrl = "https://auth.example.com/authorize",
            tokenUrl = "https://auth.example.com/token",
            clientId = "client-id",
            clientSecret = secret,
        }).ReadDataAsync(HttpStatusCode.Created);

    public static async Task<JsonElement> CreateProjectTypeAsync(this HttpClient admin, object? configSchema = null, bool isActive = true) =>
        await admin.PostJsonAsync("/api/v1/project-types", new
        {
            name = TestUsers.UniqueName("Type"),
            description = "A test project type",
            configSchema = configSchema ?? new { type = "object" },
            isActive,
        }).ReadDataAsync(HttpStatusCode.Created);

    public static async Task<string> CreateTenantAsync(this HttpClient owner, object? settings = null) =>
        (await owner.PostJsonAsync("/api/v1/tenants", new { name = TestUsers.UniqueName(), settings }).ReadDataAsync(HttpStatusCode.Created))
            .GetProperty("_id").GetString()!;

    public static async Task<string> CreateIntegrationAsync(this HttpClient owner, string tenantId, string providerId) =>
        (await owner.PostJsonAsync($"/api/v1/tenants/{tenantId}/integrations", new { providerId }).ReadDataAsync(HttpStatusCode.Created))
            .GetProperty("_id").GetString()!;

    public static Task<HttpResponseMessage> PostProjectAsync(this HttpClient owner, string tenantId, string typeId, string integrationId,
        string? name = null, object? members = null, object? config = null) =>
        owner.PostJsonAsync("/api/v1/projects", new
        {
            tenantId,
            projectTypeId = typeId,
            cloudIntegrationId = integrationId,
            folderpath = "/Projects/Test",
            name = name ?? TestUsers.UniqueName("Project"),
            members,
            config,
        });
}

/// <summary>A tenant with its owner, a provider, a type and an integration: everything a project needs.</summary>
public sealed record TenantSetup(HttpClient Admin, HttpClient Owner, string OwnerId, string TenantId, string TypeId, string ProviderId, string IntegrationId)
{
    public static async Task<TenantSetup> CreateAsync(MwapApiFactory factory, object? tenantSettings = null, object? configSchema = null)
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var ownerId = TestUsers.NewSubject("owner");
        var owner = factory.CreateClientFor(ownerId);
        var tenantId = await owner.CreateTenantAsync(tenantSettings);
        var providerId = (await admin.CreateProviderAsync()).GetProperty("_id").GetString()!;
        var typeId = (await admin.CreateProjectTypeAsync(configSchema)).GetProperty("_id").GetString()!;
        var integrationId = await owner.CreateIntegrationAsync(tenantId, providerId);
        return new TenantSetup(admin, owner, ownerId, tenantId, typeId, providerId, integrationId);
    }

    public async Task<JsonElement> CreateProjectAsync(string? name = null, object? members = null, object? config = null) =>
        await Owner.PostProjectAsync(TenantId, TypeId, IntegrationId, name, members, config).ReadDataAsync(HttpStatusCode.Created);
}
