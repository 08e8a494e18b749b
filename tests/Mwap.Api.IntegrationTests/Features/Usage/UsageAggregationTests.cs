using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.Features.Files;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Notifications;
using Mwap.Api.Features.Usage;
using Mwap.Api.IntegrationTests.Features.Files;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;

namespace Mwap.Api.IntegrationTests.Features.Usage;

/// <summary>
/// The usage roll-up against real data: a connected Dropbox account indexed by a real sync, projects with members,
/// the job run as Hangfire would run it, and the usage route read as its users would.
/// </summary>
public sealed class UsageAggregationTests(ConnectFlowApiFactory factory) : IClassFixture<ConnectFlowApiFactory>
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task RunJobAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UsageAggregationJob>().RunAsync(CancellationToken.None);
    }

    private async Task<(Connection Connection, HttpClient Admin, string TypeId, string[] Projects)> IndexedTenantWithMembersAsync()
    {
        var connection = await FileSyncHarness.ConnectAsync(factory, FakeProvider.Dropbox);
        FileSyncHarness.BuildTree(factory.Fake.Dropbox.Files);
        await FileSyncHarness.SyncOkAsync(factory, connection.IntegrationId, full: true);

        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var typeId = (await admin.CreateProjectTypeAsync()).GetProperty("_id").GetString()!;
        var m1 = TestUsers.NewSubject("m1");
        var m2 = TestUsers.NewSubject("m2");
        var m3 = TestUsers.NewSubject("m3");
        var a = await connection.Owner.PostProjectAsync(connection.TenantId, typeId, connection.IntegrationId,
            members: new[] { new { userId = m1, role = "MEMBER" }, new { userId = m2, role = "DEPUTY" } }).ReadDataAsync(HttpStatusCode.Created);
        var b = await connection.Owner.PostProjectAsync(connection.TenantId, typeId, connection.IntegrationId,
            members: new[] { new { userId = m2, role = "MEMBER" }, new { userId = m3, role = "MEMBER" } }).ReadDataAsync(HttpStatusCode.Created);
        return (connection, admin, typeId, [a.GetProperty("_id").GetString()!, b.GetProperty("_id").GetString()!]);
    }

    [Fact]
    public async Task Job_rolls_up_requests_files_storage_members_projects_and_last_activity()
    {
        var (connection, _, _, _) = await IndexedTenantWithMembersAsync();
        await RunJobAsync();

        var (files, bytes, requests, lastRequest, lastAudit) = await factory.WithDbAsync(async db =>
        {
            var rows = await db.Set<VirtualFile>().Where(f => f.TenantId == connection.TenantId && !f.IsFolder).Select(f => f.Size ?? 0).ToListAsync();
            var integration = await db.Set<CloudIntegration>().AsNoTracking().SingleAsync(i => i.Id == connection.IntegrationId);
            var audit = await db.AuditLogs.Where(x => x.TenantId == connection.TenantId).MaxAsync(x => x.CreatedAt);
            return (rows.Count, rows.Sum(), integration.Usage.TotalRequests, integration.Usage.LastRequest, audit);
        });
        Assert.True(files > 30, $"the tree has more than 30 files, {files} indexed");
        Assert.True(bytes > 0);

        var usage = await connection.Owner.GetAsync($"/api/v1/tenants/{connection.TenantId}/usage").ReadDataAsync();
        var current = usage.GetProperty("current");
        Assert.Equal(Day(Today), current.GetProperty("day").GetString());
        Assert.Equal(files, current.GetProperty("filesIndexed").GetInt64());
        Assert.Equal(bytes, current.GetProperty("storageUsed").GetInt64());
        var dropbox = current.GetProperty("storageByProvider").GetProperty("dropbox");
        Assert.Equal(files, dropbox.GetProperty("files").GetInt64());
        Assert.Equal(bytes, dropbox.GetProperty("bytes").GetInt64());
        Assert.Single(current.GetProperty("storageByProvider").EnumerateObject());
        Assert.Equal(4, current.GetProperty("activeMembers").GetInt32()); // the owner (OWNER of both) + m1 + m2 (in both) + m3
        Assert.Equal(2, current.GetProperty("projects").GetInt32());
        Assert.Equal(1, current.GetProperty("integrations").GetInt32());
        Assert.Equal(requests, current.GetProperty("providerRequests").GetInt64());
        Assert.Equal(0, current.GetProperty("providerRequestsDelta").GetInt64());
        var expectedActivity = lastRequest is { } r && r > lastAudit ? r : lastAudit;
        Assert.InRange((current.GetProperty("lastActivity").GetDateTime().ToUniversalTime() - expectedActivity).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));

        var daily = usage.GetProperty("daily");
        Assert.Single(daily.EnumerateArray());
        Assert.Equal(Day(Today), daily[0].GetProperty("day").GetString());
        Assert.Equal(Day(Today), usage.GetProperty("to").GetString());
        Assert.Equal(Day(Today.AddDays(-29)), usage.GetProperty("from").GetString());

        // The summary in the tenant (its response gains a metadata object; the owner email never appears).
        var tenantBody = await (await connection.Owner.GetAsync($"/api/v1/tenants/{connection.TenantId}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("@example.test", tenantBody, StringComparison.Ordinal);
        var metadata = JsonDocument.Parse(tenantBody).RootElement.GetProperty("data").GetProperty("metadata");
        Assert.Equal(2, metadata.GetProperty("totalProjects").GetInt32());
        Assert.Equal(4, metadata.GetProperty("totalMembers").GetInt32());
        Assert.Equal(bytes, metadata.GetProperty("storageUsed").GetInt64());
        Assert.Equal(files, metadata.GetProperty("filesIndexed").GetInt64());
    }

    [Fact]
    public async Task Rerun_the_same_day_updates_the_row_and_computes_the_delta_from_the_previous_day()
    {
        var (connection, _, _, projects) = await IndexedTenantWithMembersAsync();
        await RunJobAsync();
        var first = await factory.WithDbAsync(db => db.Set<TenantUsageDaily>().AsNoTracking().SingleAsync(u => u.TenantId == connection.TenantId));

        await ProjectScenarioMember(connection, projects[1]);
        factory.Fake.Dropbox.Files.AddFile(factory.Fake.Dropbox.Files.AddFolder("/Later"), "new.bin", new byte[1234]);
        await FileSyncHarness.SyncOkAsync(factory, connection.IntegrationId);

        // Yesterday's row and a known counter: the delta is the difference.
        await factory.WithDbAsync(async db =>
        {
            db.Add(new TenantUsageDaily { TenantId = connection.TenantId, Day = Today.AddDays(-1), ProviderRequests = 60, ComputedAt = DateTime.UtcNow.AddDays(-1) });
            await db.SaveChangesAsync();
            return await db.Set<CloudIntegration>().Where(i => i.Id == connection.IntegrationId).ExecuteUpdateAsync(s => s.SetProperty(i => i.Usage.TotalRequests, 100L));
        });
        await RunJobAsync();

        var rows = await factory.WithDbAsync(db => db.Set<TenantUsageDaily>().AsNoTracking().Where(u => u.TenantId == connection.TenantId).OrderBy(u => u.Day).ToListAsync());
        Assert.Equal([Today.AddDays(-1), Today], rows.Select(r => r.Day));
        var today = rows[1];
        Assert.Equal(5, today.ActiveMembers);
        Assert.Equal(first.FilesIndexed + 1, today.FilesIndexed);
        Assert.Equal(first.StorageBytes + 1234, today.StorageBytes);
        Assert.True(today.ComputedAt >= first.ComputedAt);
        Assert.Equal(100, today.ProviderRequests);
        Assert.Equal(40, today.ProviderRequestsDelta);

        var usage = await connection.Owner.GetAsync($"/api/v1/tenants/{connection.TenantId}/usage?from={Day(Today.AddDays(-1))}&to={Day(Today)}").ReadDataAsync();
        Assert.Equal(2, usage.GetProperty("daily").GetArrayLength());
        Assert.Equal(today.FilesIndexed, usage.GetProperty("current").GetProperty("filesIndexed").GetInt64());
        Assert.Equal(40, usage.GetProperty("current").GetProperty("providerRequestsDelta").GetInt64());

        // A range before any row: empty daily, current still the latest figures.
        var old = await connection.Owner.GetAsync($"/api/v1/tenants/{connection.TenantId}/usage?from=2020-01-01&to=2020-01-31").ReadDataAsync();
        Assert.Equal(0, old.GetProperty("daily").GetArrayLength());
        Assert.Equal(5, old.GetProperty("current").GetProperty("activeMembers").GetInt32());
    }

    private static async Task ProjectScenarioMember(Connection connection, string projectId)
    {
        var response = await connection.Owner.PostJsonAsync($"/api/v1/projects/{projectId}/members", new { userId = TestUsers.NewSubject("m4"), role = "MEMBER" });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task A_tenant_never_aggregated_has_no_current_figures()
    {
        var owner = factory.CreateClientFor(TestUsers.NewSubject("owner"));
        var tenantId = await owner.CreateTenantAsync();
        var usage = await owner.GetAsync($"/api/v1/tenants/{tenantId}/usage").ReadDataAsync();
        Assert.Equal(JsonValueKind.Null, usage.GetProperty("current").ValueKind);
        Assert.Equal(0, usage.GetProperty("daily").GetArrayLength());
    }

    [Theory]
    [InlineData("from=2024-13-01", "from")]
    [InlineData("to=yesterday", "to")]
    [InlineData("from=2024-02-01&to=2024-01-01", "from")]
    [InlineData("from=2020-01-01&to=2024-01-01", "from")]
    [InlineData("from=2024-1-1", "from")]
    public async Task Bad_dates_are_400_in_the_envelope(string query, string field)
    {
        var owner = factory.CreateClientFor(TestUsers.NewSubject("owner"));
        var tenantId = await owner.CreateTenantAsync();
        var error = await (await owner.GetAsync($"/api/v1/tenants/{tenantId}/usage?{query}")).AssertErrorAsync(HttpStatusCode.BadRequest, "validation/invalid-input");
        Assert.True(error.GetProperty("details").TryGetProperty(field, out _), error.ToString());
    }

    [Fact]
    public async Task Only_the_owner_and_superadmins_read_a_tenants_usage()
    {
        var ownerId = TestUsers.NewSubject("owner");
        var owner = factory.CreateClientFor(ownerId);
        var tenantId = await owner.CreateTenantAsync();
        var otherOwner = factory.CreateClientFor(TestUsers.NewSubject("other"));
        await otherOwner.CreateTenantAsync();
        var url = $"/api/v1/tenants/{tenantId}/usage";

        await (await otherOwner.GetAsync(url)).AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
        await (await factory.CreateClientFor(TestUsers.NewSubject("stranger")).GetAsync(url)).AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync(url)).StatusCode);
        await (await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"))).GetAsync(url).ReadDataAsync();
        await owner.GetAsync(url).ReadDataAsync();
    }

    [Fact]
    public async Task Deleting_a_tenant_removes_its_usage_rows_and_alerts()
    {
        var owner = factory.CreateClientFor(TestUsers.NewSubject("owner"));
        var tenantId = await owner.CreateTenantAsync();
        var integrationId = await owner.CreateIntegrationAsync(tenantId, factory.ProviderIds[FakeProvider.Google]);
        await RunJobAsync();
        await factory.WithDbAsync(async db =>
        {
            db.Add(new TenantAlert
            {
                Id = Mwap.Api.Infrastructure.Persistence.ObjectId.NewId(DateTimeOffset.UtcNow),
                TenantId = tenantId,
                IntegrationId = integrationId,
                Condition = AlertConditions.Unhealthy,
                Day = Today,
                ProviderSlug = "google-drive",
                ProviderName = "Google Drive",
                Message = "m",
            });
            return await db.SaveChangesAsync();
        });
        Assert.Equal(1, await factory.WithDbAsync(db => db.Set<TenantUsageDaily>().CountAsync(u => u.TenantId == tenantId)));

        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/tenants/{tenantId}")).StatusCode);

        Assert.Equal(0, await factory.WithDbAsync(db => db.Set<TenantUsageDaily>().CountAsync(u => u.TenantId == tenantId)));
        Assert.Equal(0, await factory.WithDbAsync(db => db.Set<TenantAlert>().CountAsync(a => a.TenantId == tenantId)));
    }
}
