using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.AuditLog;

/// <summary>
/// Reading the audit trail: a tenant's (owner, superadmin) and the platform's (superadmin), newest first, filtered,
/// paged by cursor; and the trail every write of projects, members, providers, types and integrations leaves.
/// </summary>
public sealed class AuditLogEndpointsTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    private const string Denied = "auth/insufficient-permissions";
    private const string InvalidInput = "validation/invalid-input";

    /// <summary>A scenario whose tenant has eight audit rows, by three actors, the last one a project update by the superadmin.</summary>
    private async Task<ProjectScenario> TrailAsync()
    {
        var s = await ProjectScenario.CreateAsync(factory);
        await s.AddMemberAsync(s.ProjectOwner.Client, TestUsers.NewSubject("added"), "MEMBER");
        await s.AddMemberAsync(s.Deputy.Client, TestUsers.NewSubject("added"), "MEMBER");
        Assert.Equal(HttpStatusCode.NoContent, (await s.ProjectOwner.Client.PatchJsonAsync(s.MemberUrl(s.Member.Subject), new { role = "DEPUTY" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await s.ProjectOwner.Client.DeleteAsync(s.MemberUrl(s.Member.Subject))).StatusCode);
        await s.Admin.Client.PatchJsonAsync(s.ProjectUrl, new { description = "Updated by the admin" }).ReadDataAsync();
        return s;
    }

    private static string TenantLogsUrl(string tenantId, string query = "") => $"/api/v1/tenants/{tenantId}/audit-logs{query}";

    private static async Task<List<JsonElement>> ItemsAsync(HttpClient client, string url)
    {
        var data = await client.GetAsync(url).ReadDataAsync();
        return [.. data.GetProperty("items").EnumerateArray()];
    }

    private static List<string> Ids(IEnumerable<JsonElement> items) => [.. items.Select(i => i.GetProperty("_id").GetString()!)];

    private static string Q(DateTime value) => Uri.EscapeDataString(value.ToString("o", CultureInfo.InvariantCulture));

    private static string Cursor(string text) => Uri.EscapeDataString(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)));

    private Task<int> AuditRowsAsync() => factory.WithDbAsync(db => db.AuditLogs.CountAsync());

    [Fact]
    public async Task TenantLogs_OwnerAndSuperAdminRead_EveryoneElseIsRefused()
    {
        var s = await TrailAsync();
        var url = TenantLogsUrl(s.TenantId);

        var byOwner = await ItemsAsync(s.TenantOwner.Client, url);
        var byAdmin = await ItemsAsync(s.Admin.Client, url);

        Assert.Equal(8, byOwner.Count);
        Assert.Equal(Ids(byOwner), Ids(byAdmin));
        Assert.All(byOwner, i => Assert.Equal(s.TenantId, i.GetProperty("tenantId").GetString()));
        foreach (var intruder in new[] { s.OtherTenantOwner, s.Stranger, s.Deputy, s.Member })
        {
            var error = await (await intruder.Client.GetAsync(url)).AssertErrorAsync(HttpStatusCode.Forbidden, Denied);
            Assert.Equal("Access denied", error.GetProperty("message").GetString());
        }

        await (await s.Anonymous.GetAsync(url)).AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/unauthorized");
        await (await s.OtherTenantOwner.Client.GetAsync(TenantLogsUrl(s.OtherTenantId))).ReadDataAsync();
    }

    [Fact]
    public async Task TenantLogs_ReturnOnlyThatTenantsRows()
    {
        var s = await TrailAsync();
        var other = await ItemsAsync(s.OtherTenantOwner.Client, TenantLogsUrl(s.OtherTenantId));
        var only = Assert.Single(other);
        Assert.Equal("tenant.create", only.GetProperty("action").GetString());
        Assert.Equal(s.OtherTenantId, only.GetProperty("targetId").GetString());
    }

    [Fact]
    public async Task AdminLogs_RequireSuperAdmin()
    {
        var s = await TrailAsync();
        foreach (var caller in new[] { s.TenantOwner, s.OtherTenantOwner, s.ProjectOwner, s.Stranger })
        {
            var error = await (await caller.Client.GetAsync("/api/v1/admin/audit-logs")).AssertErrorAsync(HttpStatusCode.Forbidden, Denied);
            Assert.Equal("SuperAdmin access required", error.GetProperty("message").GetString());
        }

        await (await s.TenantOwner.Client.GetAsync($"/api/v1/admin/audit-logs?tenantId={s.TenantId}")).AssertErrorAsync(HttpStatusCode.Forbidden, Denied);
        await (await s.Anonymous.GetAsync("/api/v1/admin/audit-logs")).AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/unauthorized");
        Assert.NotEmpty(await ItemsAsync(s.Admin.Client, "/api/v1/admin/audit-logs"));
    }

    [Fact]
    public async Task AdminLogs_SpanEveryTenantAndPlatformRows_AndTenantIdNarrowsThem()
    {
        var s = await TrailAsync();

        var all = await ItemsAsync(s.Admin.Client, "/api/v1/admin/audit-logs?limit=200");
        var narrowed = await ItemsAsync(s.Admin.Client, $"/api/v1/admin/audit-logs?limit=200&tenantId={s.TenantId.ToUpperInvariant()}");

        Assert.Contains(all, i => i.GetProperty("action").GetString() == "cloud-provider.create" && i.GetProperty("targetId").GetString() == s.ProviderId
            && i.GetProperty("tenantId").ValueKind == JsonValueKind.Null);
        Assert.Contains(all, i => i.GetProperty("tenantId").GetString() == s.OtherTenantId);
        Assert.Equal(Ids(await ItemsAsync(s.TenantOwner.Client, TenantLogsUrl(s.TenantId))), Ids(narrowed));
    }

    [Fact]
    public async Task List_IsNewestFirst_InAPageOfItemsNextCursorAndHasMore()
    {
        var s = await TrailAsync();

        var data = await s.TenantOwner.Client.GetAsync(TenantLogsUrl(s.TenantId)).ReadDataAsync();

        Assert.Equal(["items", "nextCursor", "hasMore"], data.EnumerateObject().Select(p => p.Name));
        Assert.False(data.GetProperty("hasMore").GetBoolean());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("nextCursor").ValueKind);
        var items = data.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(
            ["project.update", "project.member.remove", "project.member.update", "project.member.add", "project.member.add", "project.create",
                "cloud-integration.create", "tenant.create"],
            items.Select(i => i.GetProperty("action").GetString()));
        var keys = items.Select(i => (At: i.GetProperty("createdAt").GetString()!, Id: i.GetProperty("_id").GetString()!)).ToList();
        Assert.Equal(keys.OrderByDescending(k => k.At, StringComparer.Ordinal).ThenByDescending(k => k.Id, StringComparer.Ordinal), keys);
        var first = items[0];
        Assert.Equal(s.Admin.Subject, first.GetProperty("actorId").GetString());
        Assert.Equal("project", first.GetProperty("targetType").GetString());
        Assert.Equal(s.ProjectId, first.GetProperty("targetId").GetString());
        Assert.Equal("success", first.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Object, first.GetProperty("details").ValueKind);
    }

    [Fact]
    public async Task Filters_ActionActorTargetTypeAndTargetId_SelectExactlyTheMatchingRows()
    {
        var s = await TrailAsync();
        var owner = s.TenantOwner.Client;
        var all = await ItemsAsync(owner, TenantLogsUrl(s.TenantId));
        List<string> Where(Func<JsonElement, bool> predicate) => Ids(all.Where(predicate));

        var byAction = await ItemsAsync(owner, TenantLogsUrl(s.TenantId, "?action=project.member.add"));
        var byActor = await ItemsAsync(owner, TenantLogsUrl(s.TenantId, $"?actor={Uri.EscapeDataString(s.Deputy.Subject)}"));
        var byType = await ItemsAsync(owner, TenantLogsUrl(s.TenantId, "?targetType=project-member"));
        var byTarget = await ItemsAsync(owner, TenantLogsUrl(s.TenantId, $"?targetId={Uri.EscapeDataString(s.Member.Subject)}"));
        var combined = await ItemsAsync(owner, TenantLogsUrl(s.TenantId, $"?targetType=project&actor={Uri.EscapeDataString(s.TenantOwner.Subject)}"));
        var none = await ItemsAsync(owner, TenantLogsUrl(s.TenantId, "?action=no.such.action"));

        Assert.Equal(2, byAction.Count);
        Assert.Equal(Where(i => i.GetProperty("action").GetString() == "project.member.add"), Ids(byAction));
        var deputyRow = Assert.Single(byActor);
        Assert.Equal("project.member.add", deputyRow.GetProperty("action").GetString());
        Assert.Equal(4, byType.Count);
        Assert.Equal(Where(i => i.GetProperty("targetType").GetString() == "project-member"), Ids(byType));
        Assert.Equal(["project.member.remove", "project.member.update"], byTarget.Select(i => i.GetProperty("action").GetString()));
        var created = Assert.Single(combined);
        Assert.Equal("project.create", created.GetProperty("action").GetString());
        Assert.Empty(none);
    }

    [Fact]
    public async Task Filters_FromIsInclusive_ToIsExclusive_AndOffsetsAreHonoured()
    {
        var s = await TrailAsync();
        var rows = await factory.WithDbAsync(db => db.AuditLogs.AsNoTracking().Where(a => a.TenantId == s.TenantId)
            .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Select(a => new { a.Id, a.CreatedAt }).ToListAsync());
        Assert.Equal(8, rows.Count);
        var from = DateTime.SpecifyKind(rows[5].CreatedAt, DateTimeKind.Utc);
        var to = DateTime.SpecifyKind(rows[1].CreatedAt, DateTimeKind.Utc);
        var expected = rows.Skip(2).Take(4).Select(r => r.Id).ToList();

        var window = await ItemsAsync(s.TenantOwner.Client, TenantLogsUrl(s.TenantId, $"?from={Q(from)}&to={Q(to)}"));
        var onlyFrom = await ItemsAsync(s.TenantOwner.Client, TenantLogsUrl(s.TenantId, $"?from={Q(from)}"));
        var onlyTo = await ItemsAsync(s.TenantOwner.Client, TenantLogsUrl(s.TenantId, $"?to={Q(to)}"));
        var offset = new DateTimeOffset(from).ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture);
        var withOffset = await ItemsAsync(s.TenantOwner.Client, TenantLogsUrl(s.TenantId, $"?from={Uri.EscapeDataString(offset)}"));

        Assert.Equal(expected, Ids(window));
        Assert.Equal(rows.Take(6).Select(r => r.Id), Ids(onlyFrom));
        Assert.Equal(rows.Skip(2).Select(r => r.Id), Ids(onlyTo));
        Assert.Equal(Ids(onlyFrom), Ids(withOffset));
        Assert.Empty(await ItemsAsync(s.TenantOwner.Client, TenantLogsUrl(s.TenantId, $"?from={Q(to)}&to={Q(from)}")));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("201")]
    [InlineData("-1")]
    [InlineData("100000")]
    public async Task Limit_OutsideOneTo200_Returns400(string limit)
    {
        var s = await ProjectScenario.CreateAsync(factory);
        var tenant = await (await s.TenantOwner.Client.GetAsync(TenantLogsUrl(s.TenantId, $"?limit={limit}"))).AssertErrorAsync(HttpStatusCode.BadRequest, InvalidInput);
        Assert.True(tenant.GetProperty("details").TryGetProperty("limit", out _));
        await (await s.Admin.Client.GetAsync($"/api/v1/admin/audit-logs?limit={limit}")).AssertErrorAsync(HttpStatusCode.BadRequest, InvalidInput);
    }

    [Fact]
    public async Task Limit_NotANumber_Returns400()
    {
        var s = await ProjectScenario.CreateAsync(factory);
        var error = await (await s.TenantOwner.Client.GetAsync(TenantLogsUrl(s.TenantId, "?limit=ten"))).AssertErrorAsync(HttpStatusCode.BadRequest, InvalidInput);
        Assert.Equal("limit must be a whole number from 1 to 200", error.GetProperty("message").GetString());
        Assert.Equal("limit must be a whole number from 1 to 200", error.GetProperty("details").GetProperty("limit").GetString());
    }

    [Theory]
    [InlineData("from", "yesterday")]
    [InlineData("to", "2026-13-45")]
    public async Task Dates_NotIso8601_Return400NamingTheParameter(string parameter, string value)
    {
        var s = await ProjectScenario.CreateAsync(factory);
        var error = await (await s.TenantOwner.Client.GetAsync(TenantLogsUrl(s.TenantId, $"?{parameter}={value}"))).AssertErrorAsync(HttpStatusCode.BadRequest, InvalidInput);
        Assert.StartsWith($"{parameter} must be an ISO-8601 date or time", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limit_AtItsBounds_IsHonoured()
    {
        var s = await TrailAsync();

        var one = await s.TenantOwner.Client.GetAsync(TenantLogsUrl(s.TenantId, "?limit=1")).ReadDataAsync();
        var max = await s.TenantOwner.Client.GetAsync(TenantLogsUrl(s.TenantId, "?limit=200")).ReadDataAsync();

        Assert.Equal(1, one.GetProperty("items").GetArrayLength());
        Assert.True(one.GetProperty("hasMore").GetBoolean());
        Assert.False(string.IsNullOrEmpty(one.GetProperty("nextCursor").GetString()));
        Assert.Equal(8, max.GetProperty("items").GetArrayLength());
        Assert.False(max.GetProperty("hasMore").GetBoolean());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public async Task Cursor_WalkingEveryPage_ReturnsEveryRowOnceInOrder_EvenWhileRowsAreAdded(int limit)
    {
        var s = await TrailAsync();
        var full = Ids(await ItemsAsync(s.TenantOwner.Client, TenantLogsUrl(s.TenantId, "?limit=200")));

        var walked = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var query = $"?limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await s.TenantOwner.Client.GetAsync(TenantLogsUrl(s.TenantId, query)).ReadDataAsync();
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, limit);
            walked.AddRange(Ids(items));
            var hasMore = page.GetProperty("hasMore").GetBoolean();
            cursor = page.GetProperty("nextCursor").GetString();
            Assert.Equal(hasMore, cursor is not null);
            if (pages++ == 0)
            {
                // A newer row must not leak into the pages still to come, nor shift them.
                await s.ProjectOwner.Client.PatchJsonAsync(s.ProjectUrl, new { description = "Written while paging" }).ReadDataAsync();
            }
        }
        while (cursor is not null);

        Assert.Equal(full, walked);
        Assert.Equal((full.Count + limit - 1) / limit, pages);
        Assert.Equal(full.Count + 1, (await ItemsAsync(s.TenantOwner.Client, TenantLogsUrl(s.TenantId, "?limit=200"))).Count);
    }

    [Fact]
    public async Task Cursor_CombinesWithFilters_OnTheAdminRoute()
    {
        var s = await TrailAsync();
        var baseQuery = $"/api/v1/admin/audit-logs?tenantId={s.TenantId}&targetType=project-member";
        var expected = Ids(await ItemsAsync(s.Admin.Client, baseQuery));

        var first = await s.Admin.Client.GetAsync($"{baseQuery}&limit=3").ReadDataAsync();
        var second = await s.Admin.Client.GetAsync($"{baseQuery}&limit=3&cursor={Uri.EscapeDataString(first.GetProperty("nextCursor").GetString()!)}").ReadDataAsync();

        Assert.Equal(4, expected.Count);
        Assert.Equal(expected, Ids(first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())));
        Assert.False(second.GetProperty("hasMore").GetBoolean());
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("%25%25%25")]
    [InlineData("!!not-base64!!")]
    [InlineData("B64:x|y")]
    [InlineData("B64:123|zzzzzzzzzzzzzzzzzzzzzzzz")]
    [InlineData("B64:-5|0123456789abcdef01234567")]
    [InlineData("B64:123|0123456789abcdef01234567|extra")]
    [InlineData("B64:99999999999999999999999|0123456789abcdef01234567")]
    [InlineData("B64:4000000000000000000|0123456789abcdef01234567")]
    public async Task Cursor_NotIssuedByTheServer_Returns400(string raw)
    {
        var s = await ProjectScenario.CreateAsync(factory);
        var cursor = raw.StartsWith("B64:", StringComparison.Ordinal) ? Cursor(raw[4..]) : raw;

        var response = await s.TenantOwner.Client.GetAsync(TenantLogsUrl(s.TenantId, $"?cursor={cursor}"));

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, InvalidInput);
        await (await s.Admin.Client.GetAsync($"/api/v1/admin/audit-logs?cursor={cursor}")).AssertErrorAsync(HttpStatusCode.BadRequest, InvalidInput);
    }

    [Fact]
    public async Task EachWrite_RecordsExactlyOneRow_WithMwapsActionName_AndNoSecret()
    {
        var admin = await ProjectScenario.NewSuperAdminAsync(factory);
        var owner = ProjectScenario.NewActor(factory, "owner");
        var secrets = new List<string> { ProjectScenario.NewSecret(), ProjectScenario.NewSecret() };

        async Task<JsonElement> StepAsync(string action, string targetType, TestActor actor, Func<Task<string>> write, string? tenant)
        {
            var before = await AuditRowsAsync();
            var targetId = await write();
            Assert.Equal(before + 1, await AuditRowsAsync());
            var row = Assert.Single(await ItemsAsync(admin.Client, "/api/v1/admin/audit-logs?limit=1"));
            Assert.Equal(action, row.GetProperty("action").GetString());
            Assert.Equal(targetType, row.GetProperty("targetType").GetString());
            Assert.Equal(targetId, row.GetProperty("targetId").GetString());
            Assert.Equal(actor.Subject, row.GetProperty("actorId").GetString());
            Assert.Equal(tenant, row.GetProperty("tenantId").GetString());
            Assert.Equal("success", row.GetProperty("outcome").GetString());
            return row;
        }

        async Task<string> NoContentAsync(Task<HttpResponseMessage> call, string targetId)
        {
            var response = await call;
            Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
            return targetId;
        }

        var providerId = "";
        await StepAsync("cloud-provider.create", "cloud-provider", admin, async () =>
            providerId = ProjectScenario.Id(await ProjectScenario.CreateProviderAsync(admin.Client, secrets[0])), null);
        var providerUpdate = await StepAsync("cloud-provider.update", "cloud-provider", admin, async () => ProjectScenario.Id(
            await admin.Client.PatchJsonAsync($"/api/v1/cloud-providers/{providerId}", new { clientSecret = secrets[1], displayName = "Renamed provider" }).ReadDataAsync()), null);
        Assert.Contains("clientSecret", providerUpdate.GetProperty("details").GetProperty("changed").EnumerateArray().Select(e => e.GetString()));

        var typeId = "";
        await StepAsync("project-type.create", "project-type", admin, async () =>
            typeId = ProjectScenario.Id(await ProjectScenario.CreateProjectTypeAsync(admin.Client)), null);
        await StepAsync("project-type.update", "project-type", admin, async () => ProjectScenario.Id(
            await admin.Client.PatchJsonAsync($"/api/v1/project-types/{typeId}", new { description = "Changed" }).ReadDataAsync()), null);

        var tenantId = ProjectScenario.Id(await ProjectScenario.CreateTenantAsync(owner.Client));
        var integrationsUrl = $"/api/v1/tenants/{tenantId}/integrations";
        var integrationId = "";
        await StepAsync("cloud-integration.create", "cloud-integration", owner, async () =>
            integrationId = ProjectScenario.Id(await ProjectScenario.CreateIntegrationAsync(owner.Client, tenantId, providerId)), tenantId);
        await StepAsync("cloud-integration.update", "cloud-integration", owner, async () => ProjectScenario.Id(
            await owner.Client.PatchJsonAsync($"{integrationsUrl}/{integrationId}", new { metadata = new { label = "Team drive" } }).ReadDataAsync()), tenantId);

        var projectId = "";
        var member = TestUsers.NewSubject("member");
        await StepAsync("project.create", "project", owner, async () => projectId = ProjectScenario.Id(await owner.Client.PostJsonAsync("/api/v1/projects",
            new { tenantId, projectTypeId = typeId, cloudIntegrationId = integrationId, folderpath = "/Audit", name = TestUsers.UniqueName("Project") })
            .ReadDataAsync(HttpStatusCode.Created)), tenantId);
        await StepAsync("project.update", "project", owner, async () => ProjectScenario.Id(
            await owner.Client.PatchJsonAsync($"/api/v1/projects/{projectId}", new { name = TestUsers.UniqueName("Renamed") }).ReadDataAsync()), tenantId);
        var add = await StepAsync("project.member.add", "project-member", owner, () => NoContentAsync(
            owner.Client.PostJsonAsync($"/api/v1/projects/{projectId}/members", new { userId = member, role = "MEMBER" }), member), tenantId);
        Assert.Equal(projectId, add.GetProperty("details").GetProperty("projectId").GetString());
        await StepAsync("project.member.update", "project-member", owner, () => NoContentAsync(
            owner.Client.PatchJsonAsync(ProjectScenario.MemberUrl(projectId, member), new { role = "DEPUTY" }), member), tenantId);
        await StepAsync("project.member.remove", "project-member", owner, () => NoContentAsync(
            owner.Client.DeleteAsync(ProjectScenario.MemberUrl(projectId, member)), member), tenantId);
        await StepAsync("project.delete", "project", owner, () => NoContentAsync(owner.Client.DeleteAsync($"/api/v1/projects/{projectId}"), projectId), tenantId);

        await StepAsync("cloud-integration.delete", "cloud-integration", owner, () => NoContentAsync(
            owner.Client.DeleteAsync($"{integrationsUrl}/{integrationId}"), integrationId), tenantId);
        await StepAsync("project-type.delete", "project-type", admin, () => NoContentAsync(admin.Client.DeleteAsync($"/api/v1/project-types/{typeId}"), typeId), null);
        await StepAsync("cloud-provider.delete", "cloud-provider", admin, () => NoContentAsync(
            admin.Client.DeleteAsync($"/api/v1/cloud-providers/{providerId}"), providerId), null);

        await AssertNoSecretInTrailAsync(admin.Client, secrets);
    }

    [Fact]
    public async Task RefusedWrites_RecordNoRow()
    {
        var s = await ProjectScenario.CreateAsync(factory);
        var before = await AuditRowsAsync();

        await (await s.Deputy.Client.DeleteAsync(s.ProjectUrl)).AssertErrorAsync(HttpStatusCode.Forbidden, Denied);
        await (await s.ProjectOwner.Client.PostJsonAsync(s.MembersUrl, new { userId = s.Member.Subject, role = "MEMBER" }))
            .AssertErrorAsync(HttpStatusCode.Conflict, "project/member-already-exists");
        // The scenario's project owner is the tenant owner, who cannot be removed.
        await (await s.ProjectOwner.Client.DeleteAsync(s.MemberUrl(s.ProjectOwner.Subject))).AssertErrorAsync(HttpStatusCode.BadRequest, "project/tenant-owner-required");
        await (await s.Admin.Client.DeleteAsync($"/api/v1/cloud-providers/{s.ProviderId}")).AssertErrorAsync(HttpStatusCode.Conflict, "cloud-provider/in-use");
        await (await s.Admin.Client.DeleteAsync($"/api/v1/project-types/{s.ProjectTypeId}")).AssertErrorAsync(HttpStatusCode.Conflict, "project-type/in-use");
        await (await s.TenantOwner.Client.DeleteAsync($"/api/v1/tenants/{s.TenantId}/integrations/{s.IntegrationId}"))
            .AssertErrorAsync(HttpStatusCode.Conflict, "cloud-integration/in-use");
        await (await s.Stranger.Client.PostJsonAsync("/api/v1/cloud-providers", ProjectScenario.ProviderBody(ProjectScenario.NewSecret())))
            .AssertErrorAsync(HttpStatusCode.Forbidden, Denied);

        Assert.Equal(before, await AuditRowsAsync());
    }

    [Fact]
    public async Task ProviderSecrets_NeverReachTheTrail()
    {
        var admin = await ProjectScenario.NewSuperAdminAsync(factory);
        var secrets = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            secrets.Add(ProjectScenario.NewSecret());
            var id = ProjectScenario.Id(await ProjectScenario.CreateProviderAsync(admin.Client, secrets[^1]));
            secrets.Add(ProjectScenario.NewSecret());
            await admin.Client.PatchJsonAsync($"/api/v1/cloud-providers/{id}", new { clientSecret = secrets[^1] }).ReadDataAsync();
        }

        var ciphertexts = await factory.WithDbAsync(db => db.Set<CloudProvider>().Select(p => p.EncryptedClientSecret).ToListAsync());
        await AssertNoSecretInTrailAsync(admin.Client, [.. secrets, .. ciphertexts]);
    }

    /// <summary>Neither any stored column of any audit row nor any page the API serves contains one of <paramref name="secrets"/>.</summary>
    private async Task AssertNoSecretInTrailAsync(HttpClient admin, IReadOnlyCollection<string> secrets)
    {
        var rows = await factory.WithDbAsync(db => db.AuditLogs.AsNoTracking().ToListAsync());
        Assert.NotEmpty(rows);
        var stored = string.Join('\n', rows.Select(r => string.Join('|',
            r.Id, r.TenantId, r.ActorId, r.Action, r.TargetType, r.TargetId, r.Outcome, r.Ip, r.UserAgent, r.TraceId, r.Details)));

        var served = new StringBuilder();
        string? cursor = null;
        do
        {
            var response = await admin.GetAsync("/api/v1/admin/audit-logs?limit=200" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            served.Append(await response.Content.ReadAsStringAsync());
            cursor = (await response.ReadDataAsync()).GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, served.ToString(), StringComparison.Ordinal);
        }
    }
}
