using System.Net;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.Tenants;

/// <summary>Each tenant write leaves exactly one audit row, written with the change, holding no secret.</summary>
public sealed class TenantAuditTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    [Fact]
    public async Task EachWrite_LeavesExactlyOneAuditRow_WithoutSecrets()
    {
        var sub = TestUsers.NewSubject("owner");
        var token = factory.Issuer.CreateToken(sub);
        var owner = factory.CreateClientWithToken(token);
        owner.DefaultRequestHeaders.UserAgent.ParseAdd("mwap-tests/1.0");

        var tenant = await owner.PostJsonAsync("/api/v1/tenants", new { name = TestUsers.UniqueName(), settings = new { maxProjects = 3 } })
            .ReadDataAsync(HttpStatusCode.Created);
        var id = tenant.GetProperty("_id").GetString()!;
        var created = await factory.WithDbAsync(db => db.AuditLogs.AsNoTracking().Where(a => a.TenantId == id).ToListAsync());
        var create = Assert.Single(created);
        Assert.Equal("tenant.create", create.Action);
        Assert.Equal(sub, create.ActorId);
        Assert.Equal("tenant", create.TargetType);
        Assert.Equal(id, create.TargetId);
        Assert.Equal("success", create.Outcome);
        Assert.Equal("mwap-tests/1.0", create.UserAgent);
        Assert.False(string.IsNullOrEmpty(create.TraceId));
        Assert.Contains("maxProjects", create.Details, StringComparison.Ordinal);

        await owner.PatchJsonAsync($"/api/v1/tenants/{id}", new { name = TestUsers.UniqueName("Renamed") }).ReadDataAsync();
        var afterUpdate = await factory.WithDbAsync(db => db.AuditLogs.AsNoTracking().Where(a => a.TenantId == id).ToListAsync());
        Assert.Equal(2, afterUpdate.Count);
        Assert.Single(afterUpdate, a => a.Action == "tenant.update");

        var adminSub = TestUsers.NewSubject("admin");
        var admin = await factory.CreateSuperAdminClientAsync(adminSub);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/tenants/{id}")).StatusCode);
        var all = await factory.WithDbAsync(db => db.AuditLogs.AsNoTracking().Where(a => a.TenantId == id).ToListAsync());
        Assert.Equal(3, all.Count);
        var delete = Assert.Single(all, a => a.Action == "tenant.delete");
        Assert.Equal(adminSub, delete.ActorId);

        foreach (var row in all)
        {
            var text = string.Join('|', row.ActorId, row.Action, row.TargetId, row.Details, row.UserAgent, row.Ip);
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
            Assert.DoesNotContain("Bearer", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task RefusedWrites_LeaveNoAuditRow()
    {
        var sub = TestUsers.NewSubject();
        var client = factory.CreateClientFor(sub);
        await client.PostJsonAsync("/api/v1/tenants", new { name = TestUsers.UniqueName() }).ReadDataAsync(HttpStatusCode.Created);
        await (await client.PostJsonAsync("/api/v1/tenants", new { name = TestUsers.UniqueName() }))
            .AssertErrorAsync(HttpStatusCode.Conflict, "tenant/already-exists");
        Assert.Equal(1, await factory.WithDbAsync(db => db.AuditLogs.CountAsync(a => a.ActorId == sub)));
    }
}
