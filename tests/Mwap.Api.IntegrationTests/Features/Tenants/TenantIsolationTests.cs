using System.Net;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.Tenants;

/// <summary>User B can neither read, change nor delete user A's tenant through any route, and nothing changes.</summary>
public sealed class TenantIsolationTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    [Fact]
    public async Task OtherUser_IsRefusedEveryTenantRoute_AndNothingChanges()
    {
        var owner = factory.CreateClientFor(TestUsers.NewSubject("alice"));
        var tenant = await owner.PostJsonAsync("/api/v1/tenants", new { name = TestUsers.UniqueName() }).ReadDataAsync(HttpStatusCode.Created);
        var id = tenant.GetProperty("_id").GetString()!;
        var auditBefore = await factory.WithDbAsync(db => db.AuditLogs.CountAsync(a => a.TenantId == id));

        var intruder = factory.CreateClientFor(TestUsers.NewSubject("bob"));
        // Bob even owns a tenant of his own: owning *a* tenant must not open another.
        await intruder.PostJsonAsync("/api/v1/tenants", new { name = TestUsers.UniqueName() }).ReadDataAsync(HttpStatusCode.Created);

        await (await intruder.GetAsync($"/api/v1/tenants/{id}")).AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
        await (await intruder.PatchJsonAsync($"/api/v1/tenants/{id}", new { name = "Hijacked", archived = true }))
            .AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
        await (await intruder.DeleteAsync($"/api/v1/tenants/{id}")).AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
        await (await intruder.GetAsync("/api/v1/tenants")).AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
        var bobsOwn = await intruder.GetAsync("/api/v1/tenants/me").ReadDataAsync();
        Assert.NotEqual(id, bobsOwn.GetProperty("_id").GetString());

        var after = await owner.GetAsync($"/api/v1/tenants/{id}").ReadDataAsync();
        Assert.Equal(tenant.GetProperty("name").GetString(), after.GetProperty("name").GetString());
        Assert.False(after.GetProperty("archived").GetBoolean());
        Assert.Equal(tenant.GetProperty("updatedAt").GetString(), after.GetProperty("updatedAt").GetString());
        Assert.Equal(auditBefore, await factory.WithDbAsync(db => db.AuditLogs.CountAsync(a => a.TenantId == id)));
    }

    [Fact]
    public async Task ForbiddenMessages_DoNotRevealWhetherTenantExists()
    {
        var owner = factory.CreateClientFor(TestUsers.NewSubject("alice"));
        var tenant = await owner.PostJsonAsync("/api/v1/tenants", new { name = TestUsers.UniqueName() }).ReadDataAsync(HttpStatusCode.Created);
        var intruder = factory.CreateClientFor(TestUsers.NewSubject("bob"));

        var existing = await (await intruder.GetAsync($"/api/v1/tenants/{tenant.GetProperty("_id").GetString()}"))
            .AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
        var missing = await (await intruder.GetAsync("/api/v1/tenants/aaaaaaaaaaaaaaaaaaaaaaaa"))
            .AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
        Assert.Equal(existing.GetProperty("message").GetString(), missing.GetProperty("message").GetString());
    }
}
