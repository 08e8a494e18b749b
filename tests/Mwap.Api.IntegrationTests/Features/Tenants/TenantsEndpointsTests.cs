using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.Tenants;

/// <summary>Tenant routes #5–#10 (spec §6.2) with the rules the original left unenforced.</summary>
public sealed partial class TenantsEndpointsTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex IsoMillis();

    private async Task<(HttpClient Client, JsonElement Tenant)> CreateTenantAsync(string? name = null, object? settings = null)
    {
        var client = factory.CreateClientFor(TestUsers.NewSubject("owner"));
        var tenant = await client.PostJsonAsync("/api/v1/tenants", new { name = name ?? TestUsers.UniqueName(), settings })
            .ReadDataAsync(HttpStatusCode.Created);
        return (client, tenant);
    }

    [Fact]
    public async Task Create_Returns201_WithMwapShapeAndDefaults()
    {
        var sub = TestUsers.NewSubject("owner");
        var name = TestUsers.UniqueName();
        var response = await factory.CreateClientFor(sub).PostJsonAsync("/api/v1/tenants", new { name = $"  {name}  " });
        var tenant = await response.ReadDataAsync(HttpStatusCode.Created);

        Assert.Matches("^[0-9a-f]{24}$", tenant.GetProperty("_id").GetString());
        Assert.Equal($"/api/v1/tenants/{tenant.GetProperty("_id").GetString()}", response.Headers.Location?.OriginalString);
        Assert.Equal(name, tenant.GetProperty("name").GetString());
        Assert.Equal(sub, tenant.GetProperty("ownerId").GetString());
        Assert.False(tenant.GetProperty("archived").GetBoolean());
        var settings = tenant.GetProperty("settings");
        Assert.False(settings.GetProperty("allowPublicProjects").GetBoolean());
        Assert.Equal(10, settings.GetProperty("maxProjects").GetInt32());
        Assert.True(settings.GetProperty("features").GetProperty("cloudIntegrations").GetBoolean());
        Assert.Matches(IsoMillis(), tenant.GetProperty("createdAt").GetString());
        Assert.Equal(tenant.GetProperty("createdAt").GetString(), tenant.GetProperty("updatedAt").GetString());
    }

    [Fact]
    public async Task Create_WithSettings_StoresThem()
    {
        var (_, tenant) = await CreateTenantAsync(settings: new { allowPublicProjects = true, maxProjects = 25, retentionDays = 30 });
        var settings = tenant.GetProperty("settings");
        Assert.True(settings.GetProperty("allowPublicProjects").GetBoolean());
        Assert.Equal(25, settings.GetProperty("maxProjects").GetInt32());
        Assert.Equal(30, settings.GetProperty("retentionDays").GetInt32());
    }

    [Fact]
    public async Task Create_SecondTenantForSameOwner_Returns409AlreadyExists()
    {
        var (client, _) = await CreateTenantAsync();
        var response = await client.PostJsonAsync("/api/v1/tenants", new { name = TestUsers.UniqueName() });
        await response.AssertErrorAsync(HttpStatusCode.Conflict, "tenant/already-exists");
    }

    [Fact]
    public async Task Create_WithDuplicateName_Returns409NameExists()
    {
        var (_, tenant) = await CreateTenantAsync();
        var other = factory.CreateClientFor(TestUsers.NewSubject());
        var response = await other.PostJsonAsync("/api/v1/tenants", new { name = tenant.GetProperty("name").GetString() });
        await response.AssertErrorAsync(HttpStatusCode.Conflict, "tenant/name-exists");
    }

    [Fact]
    public async Task Create_WithTheSameNameInAnotherCase_Returns409NameExists_AndRenameToItToo()
    {
        var (_, tenant) = await CreateTenantAsync();
        var name = tenant.GetProperty("name").GetString()!;
        var other = factory.CreateClientFor(TestUsers.NewSubject());
        await (await other.PostJsonAsync("/api/v1/tenants", new { name = name.ToUpperInvariant() })).AssertErrorAsync(HttpStatusCode.Conflict, "tenant/name-exists");
        await (await other.PostJsonAsync("/api/v1/tenants", new { name = " " + name.ToLowerInvariant() + " " })).AssertErrorAsync(HttpStatusCode.Conflict, "tenant/name-exists");

        var (client, second) = await CreateTenantAsync();
        var id = second.GetProperty("_id").GetString();
        await (await client.PatchJsonAsync($"/api/v1/tenants/{id}", new { name = name.ToUpperInvariant() })).AssertErrorAsync(HttpStatusCode.Conflict, "tenant/name-exists");
        var ownCase = second.GetProperty("name").GetString()!.ToUpperInvariant();
        Assert.Equal(ownCase, (await client.PatchJsonAsync($"/api/v1/tenants/{id}", new { name = ownCase }).ReadDataAsync()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Create_WithNameOfArchivedTenant_Returns409NameExists()
    {
        var (client, tenant) = await CreateTenantAsync();
        await client.PatchJsonAsync($"/api/v1/tenants/{tenant.GetProperty("_id").GetString()}", new { archived = true }).ReadDataAsync();
        var response = await factory.CreateClientFor(TestUsers.NewSubject()).PostJsonAsync("/api/v1/tenants", new { name = tenant.GetProperty("name").GetString() });
        await response.AssertErrorAsync(HttpStatusCode.Conflict, "tenant/name-exists");
    }

    [Fact]
    public async Task Create_TwoConcurrentForOneOwner_GivesOne201AndOne409()
    {
        var sub = TestUsers.NewSubject();
        var a = factory.CreateClientFor(sub);
        var b = factory.CreateClientFor(sub);
        var responses = await Task.WhenAll(
            a.PostJsonAsync("/api/v1/tenants", new { name = TestUsers.UniqueName() }),
            b.PostJsonAsync("/api/v1/tenants", new { name = TestUsers.UniqueName() }));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var loser = Assert.Single(responses, r => r.StatusCode != HttpStatusCode.Created);
        await loser.AssertErrorAsync(HttpStatusCode.Conflict, "tenant/already-exists");
        Assert.Equal(1, await factory.WithDbAsync(db => db.Tenants.CountAsync(t => t.OwnerId == sub)));
    }

    [Fact]
    public async Task Create_TwoConcurrentWithOneName_GivesOne201AndOne409()
    {
        var name = TestUsers.UniqueName();
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            factory.CreateClientFor(TestUsers.NewSubject()).PostJsonAsync("/api/v1/tenants", new { name })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await loser.AssertErrorAsync(HttpStatusCode.Conflict, "tenant/name-exists");
        }
    }

    [Fact]
    public async Task GetMe_WithoutTenant_Returns404()
    {
        var response = await factory.CreateClientFor(TestUsers.NewSubject()).GetAsync("/api/v1/tenants/me");
        await response.AssertErrorAsync(HttpStatusCode.NotFound, "tenant/not-found");
    }

    [Fact]
    public async Task GetMe_ReturnsOwnTenant()
    {
        var (client, tenant) = await CreateTenantAsync();
        var me = await client.GetAsync("/api/v1/tenants/me").ReadDataAsync();
        Assert.Equal(tenant.GetProperty("_id").GetString(), me.GetProperty("_id").GetString());
    }

    [Fact]
    public async Task GetById_ByOwner_Returns200_AndUppercaseIdNamesSameTenant()
    {
        var (client, tenant) = await CreateTenantAsync();
        var id = tenant.GetProperty("_id").GetString()!;
        Assert.Equal(id, (await client.GetAsync($"/api/v1/tenants/{id}").ReadDataAsync()).GetProperty("_id").GetString());
        Assert.Equal(id, (await client.GetAsync($"/api/v1/tenants/{id.ToUpperInvariant()}").ReadDataAsync()).GetProperty("_id").GetString());
    }

    [Theory]
    [InlineData("not-an-id")]
    [InlineData("123")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzz")]
    [InlineData("0123456789abcdef012345678")]
    public async Task GetById_MalformedId_Returns400(string id)
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        await (await admin.GetAsync($"/api/v1/tenants/{id}")).AssertErrorAsync(HttpStatusCode.BadRequest, "validation/invalid-input");
        var user = factory.CreateClientFor(TestUsers.NewSubject());
        await (await user.GetAsync($"/api/v1/tenants/{id}")).AssertErrorAsync(HttpStatusCode.BadRequest, "validation/invalid-input");
    }

    [Fact]
    public async Task GetById_MissingTenant_SuperAdminGets404_OwnerOfOtherGets403()
    {
        var missing = "0123456789abcdef01234567";
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        await (await admin.GetAsync($"/api/v1/tenants/{missing}")).AssertErrorAsync(HttpStatusCode.NotFound, "tenant/not-found");
        var (client, _) = await CreateTenantAsync();
        var error = await (await client.GetAsync($"/api/v1/tenants/{missing}")).AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
        Assert.Equal("Access denied", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task List_RequiresSuperAdmin()
    {
        var (client, _) = await CreateTenantAsync();
        var error = await (await client.GetAsync("/api/v1/tenants")).AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
        Assert.Equal("SuperAdmin access required", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task List_ExcludesArchivedUnlessAsked_AndSortsByName()
    {
        var prefix = "List " + Guid.NewGuid().ToString("N")[..6];
        var (_, b) = await CreateTenantAsync($"{prefix} b");
        var (ownerA, a) = await CreateTenantAsync($"{prefix} a");
        await ownerA.PatchJsonAsync($"/api/v1/tenants/{a.GetProperty("_id").GetString()}", new { archived = true }).ReadDataAsync();
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));

        var active = (await admin.GetAsync("/api/v1/tenants").ReadDataAsync()).EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Contains($"{prefix} b", active);
        Assert.DoesNotContain($"{prefix} a", active);
        Assert.Equal(active.Order(StringComparer.Ordinal), active);

        var all = (await admin.GetAsync("/api/v1/tenants?includeArchived=true").ReadDataAsync()).EnumerateArray()
            .Select(t => t.GetProperty("name").GetString()).Where(n => n!.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal([$"{prefix} a", $"{prefix} b"], all);
        Assert.NotNull(b.GetProperty("_id").GetString());
    }

    [Fact]
    public async Task Patch_MergesSettingsFieldByField_AndBumpsUpdatedAt()
    {
        var (client, tenant) = await CreateTenantAsync(settings: new { allowPublicProjects = true, maxProjects = 5 });
        var id = tenant.GetProperty("_id").GetString();
        await Task.Delay(5, TestContext.Current.CancellationToken); // updatedAt has millisecond resolution

        var updated = await client.PatchJsonAsync($"/api/v1/tenants/{id}", new { settings = new { maxProjects = 7 } }).ReadDataAsync();

        Assert.True(updated.GetProperty("settings").GetProperty("allowPublicProjects").GetBoolean());
        Assert.Equal(7, updated.GetProperty("settings").GetProperty("maxProjects").GetInt32());
        Assert.Equal(tenant.GetProperty("createdAt").GetString(), updated.GetProperty("createdAt").GetString());
        Assert.True(string.CompareOrdinal(updated.GetProperty("updatedAt").GetString(), tenant.GetProperty("updatedAt").GetString()) > 0);
    }

    [Fact]
    public async Task Patch_RenameAndArchive_AreStored()
    {
        var (client, tenant) = await CreateTenantAsync();
        var id = tenant.GetProperty("_id").GetString();
        var newName = TestUsers.UniqueName("Renamed");
        await client.PatchJsonAsync($"/api/v1/tenants/{id}", new { name = newName, archived = true, description = "Our org" }).ReadDataAsync();

        var stored = await client.GetAsync($"/api/v1/tenants/{id}").ReadDataAsync();
        Assert.Equal(newName, stored.GetProperty("name").GetString());
        Assert.True(stored.GetProperty("archived").GetBoolean());
        Assert.Equal("Our org", stored.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Patch_ToAnotherTenantsName_Returns409_AndSameNameIsAllowed()
    {
        var (_, first) = await CreateTenantAsync();
        var (client, second) = await CreateTenantAsync();
        var id = second.GetProperty("_id").GetString();
        var response = await client.PatchJsonAsync($"/api/v1/tenants/{id}", new { name = first.GetProperty("name").GetString() });
        await response.AssertErrorAsync(HttpStatusCode.Conflict, "tenant/name-exists");
        await client.PatchJsonAsync($"/api/v1/tenants/{id}", new { name = second.GetProperty("name").GetString() }).ReadDataAsync();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    [InlineData(-5)]
    public async Task Patch_MaxProjectsOutOfBounds_Returns400(int maxProjects)
    {
        var (client, tenant) = await CreateTenantAsync();
        var response = await client.PatchJsonAsync($"/api/v1/tenants/{tenant.GetProperty("_id").GetString()}", new { settings = new { maxProjects } });
        var error = await response.AssertErrorAsync(HttpStatusCode.BadRequest, "validation/invalid-input");
        Assert.True(error.GetProperty("details").TryGetProperty("settings.maxProjects", out _));
    }

    [Fact]
    public async Task SuperAdmin_CanReadAndUpdateAnyTenant()
    {
        var (_, tenant) = await CreateTenantAsync();
        var id = tenant.GetProperty("_id").GetString();
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        await admin.GetAsync($"/api/v1/tenants/{id}").ReadDataAsync();
        var updated = await admin.PatchJsonAsync($"/api/v1/tenants/{id}", new { settings = new { maxProjects = 50 } }).ReadDataAsync();
        Assert.Equal(50, updated.GetProperty("settings").GetProperty("maxProjects").GetInt32());
    }

    [Fact]
    public async Task Delete_RequiresSuperAdmin()
    {
        var (client, tenant) = await CreateTenantAsync();
        var response = await client.DeleteAsync($"/api/v1/tenants/{tenant.GetProperty("_id").GetString()}");
        await response.AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
        await client.GetAsync("/api/v1/tenants/me").ReadDataAsync();
    }

    [Fact]
    public async Task Delete_BySuperAdmin_Returns204_AndOwnerMayCreateAgain()
    {
        var (client, tenant) = await CreateTenantAsync();
        var id = tenant.GetProperty("_id").GetString();
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));

        var response = await admin.DeleteAsync($"/api/v1/tenants/{id}");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());

        await (await client.GetAsync("/api/v1/tenants/me")).AssertErrorAsync(HttpStatusCode.NotFound, "tenant/not-found");
        await (await admin.DeleteAsync($"/api/v1/tenants/{id}")).AssertErrorAsync(HttpStatusCode.NotFound, "tenant/not-found");
        await client.PostJsonAsync("/api/v1/tenants", new { name = tenant.GetProperty("name").GetString() }).ReadDataAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Roles_ReflectTenantOwnership()
    {
        var sub = TestUsers.NewSubject();
        var client = factory.CreateClientFor(sub);
        var before = await client.GetAsync("/api/v1/users/me/roles").ReadDataAsync();
        Assert.False(before.GetProperty("isTenantOwner").GetBoolean());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("tenantId").ValueKind);
        Assert.Equal(0, before.GetProperty("projectRoles").GetArrayLength());

        var tenant = await client.PostJsonAsync("/api/v1/tenants", new { name = TestUsers.UniqueName() }).ReadDataAsync(HttpStatusCode.Created);
        var after = await client.GetAsync("/api/v1/users/me/roles").ReadDataAsync();
        Assert.Equal(sub, after.GetProperty("userId").GetString());
        Assert.False(after.GetProperty("isSuperAdmin").GetBoolean());
        Assert.True(after.GetProperty("isTenantOwner").GetBoolean());
        Assert.Equal(tenant.GetProperty("_id").GetString(), after.GetProperty("tenantId").GetString());
        Assert.Equal(["userId", "isSuperAdmin", "isTenantOwner", "tenantId", "projectRoles"], after.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Roles_ShowSuperAdmin()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        Assert.True((await admin.GetAsync("/api/v1/users/me/roles").ReadDataAsync()).GetProperty("isSuperAdmin").GetBoolean());
    }
}
