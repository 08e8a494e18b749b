using System.Net;
using System.Text.Json;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.Projects;

/// <summary>
/// Who sees what: the tenant owner always holds OWNER on the tenant's projects (implicit when no member row says so) and
/// cannot be removed or demoted; a caller who may not see a resource gets the same answer whether it exists or not.
/// </summary>
public sealed class ProjectAccessTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    private const string Missing = "0123456789abcdef01234567";

    [Fact]
    public async Task ProjectOwner_CannotRemoveOrDemoteTheTenantOwner_WhoKeepsTheProject()
    {
        var s = await ProjectScenario.CreateAsync(factory);
        var projectOwner = ProjectScenario.NewActor(factory, "project-owner");
        await s.AddMemberAsync(s.TenantOwner.Client, projectOwner.Subject, "OWNER");

        var removed = await projectOwner.Client.DeleteAsync(s.MemberUrl(s.TenantOwner.Subject));
        var demoted = await projectOwner.Client.PatchJsonAsync(s.MemberUrl(s.TenantOwner.Subject), new { role = "MEMBER" });
        var byAdmin = await s.Admin.Client.DeleteAsync(s.MemberUrl(s.TenantOwner.Subject));

        await removed.AssertErrorAsync(HttpStatusCode.BadRequest, "project/tenant-owner-required");
        await demoted.AssertErrorAsync(HttpStatusCode.BadRequest, "project/tenant-owner-required");
        await byAdmin.AssertErrorAsync(HttpStatusCode.BadRequest, "project/tenant-owner-required");
        Assert.Equal("OWNER", (await s.MembersAsync())[s.TenantOwner.Subject]);
        Assert.Equal(s.ProjectId, ProjectScenario.Id(await s.TenantOwner.Client.GetAsync(s.ProjectUrl).ReadDataAsync()));
    }

    [Fact]
    public async Task TenantOwnerWithoutAMemberRow_IsImplicitOwner_InRolesMembersAndGuards()
    {
        var s = await ProjectScenario.CreateAsync(factory, tenantOwnerStaysMember: false);

        var roles = await s.TenantOwner.Client.GetAsync("/api/v1/users/me/roles").ReadDataAsync();
        var role = Assert.Single(roles.GetProperty("projectRoles").EnumerateArray(), r => r.GetProperty("projectId").GetString() == s.ProjectId);
        Assert.Equal("OWNER", role.GetProperty("role").GetString());
        Assert.True(role.GetProperty("implicit").GetBoolean());
        // Explicit roles keep MWAP's exact shape.
        var memberRole = Assert.Single((await s.Member.Client.GetAsync("/api/v1/users/me/roles").ReadDataAsync()).GetProperty("projectRoles").EnumerateArray());
        Assert.Equal(["projectId", "role"], memberRole.EnumerateObject().Select(p => p.Name));

        var listed = Assert.Single((await s.Member.Client.GetAsync(s.MembersUrl).ReadDataAsync()).EnumerateArray(),
            m => m.GetProperty("userId").GetString() == s.TenantOwner.Subject);
        Assert.Equal("OWNER", listed.GetProperty("role").GetString());
        Assert.True(listed.GetProperty("implicit").GetBoolean());
        var mine = await s.TenantOwner.Client.GetAsync($"{s.MembersUrl}/me").ReadDataAsync();
        Assert.True(mine.GetProperty("implicit").GetBoolean());

        Assert.Equal("by tenant owner", (await s.TenantOwner.Client.PatchJsonAsync(s.ProjectUrl, new { description = "by tenant owner" }).ReadDataAsync())
            .GetProperty("description").GetString());
        await (await s.ProjectOwner.Client.DeleteAsync(s.MemberUrl(s.TenantOwner.Subject))).AssertErrorAsync(HttpStatusCode.BadRequest, "project/tenant-owner-required");
        Assert.Contains(s.ProjectId, (await s.TenantOwner.Client.GetAsync("/api/v1/projects").ReadDataAsync()).EnumerateArray().Select(ProjectScenario.Id));
    }

    [Fact]
    public async Task ImplicitOwnerRole_EndsWithTheProject()
    {
        var s = await ProjectScenario.CreateAsync(factory, tenantOwnerStaysMember: false);
        Assert.Equal(HttpStatusCode.OK, (await s.TenantOwner.Client.GetAsync(s.ProjectUrl)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await s.ProjectOwner.Client.DeleteAsync(s.ProjectUrl)).StatusCode);

        var roles = await s.TenantOwner.Client.GetAsync("/api/v1/users/me/roles").ReadDataAsync();
        Assert.DoesNotContain(s.ProjectId, roles.GetProperty("projectRoles").EnumerateArray().Select(r => r.GetProperty("projectId").GetString()));
    }

    /// <summary>
    /// For a stranger (signed in, owner of another tenant), every route answers a resource that exists exactly as one that
    /// does not: same status, code and message. Tenants answer MWAP's 403, projects MWAP's 404.
    /// </summary>
    [Fact]
    public async Task Stranger_GetsTheSameAnswer_ForExistingAndMissingResources()
    {
        var s = await ProjectScenario.CreateAsync(factory);
        var stranger = s.OtherTenantOwner.Client;
        var t = s.TenantId;
        var p = s.ProjectId;
        var i = s.IntegrationId;
        var routes = new (HttpMethod Method, string Existing, string Absent, object? Body, HttpStatusCode Status)[]
        {
            (HttpMethod.Get, $"/api/v1/tenants/{t}", $"/api/v1/tenants/{Missing}", null, HttpStatusCode.Forbidden),
            (HttpMethod.Patch, $"/api/v1/tenants/{t}", $"/api/v1/tenants/{Missing}", new { description = "x" }, HttpStatusCode.Forbidden),
            (HttpMethod.Get, $"/api/v1/tenants/{t}/integrations", $"/api/v1/tenants/{Missing}/integrations", null, HttpStatusCode.Forbidden),
            (HttpMethod.Get, $"/api/v1/tenants/{t}/integrations/{i}", $"/api/v1/tenants/{Missing}/integrations/{Missing}", null, HttpStatusCode.Forbidden),
            (HttpMethod.Get, $"/api/v1/tenants/{t}/audit-logs", $"/api/v1/tenants/{Missing}/audit-logs", null, HttpStatusCode.Forbidden),
            (HttpMethod.Get, $"/api/v1/tenants/{t}/usage", $"/api/v1/tenants/{Missing}/usage", null, HttpStatusCode.Forbidden),
            (HttpMethod.Post, $"/api/v1/oauth/tenants/{t}/integrations/{i}/initiate", $"/api/v1/oauth/tenants/{Missing}/integrations/{Missing}/initiate", null, HttpStatusCode.Forbidden),
            (HttpMethod.Get, $"/api/v1/projects/{p}", $"/api/v1/projects/{Missing}", null, HttpStatusCode.NotFound),
            (HttpMethod.Patch, $"/api/v1/projects/{p}", $"/api/v1/projects/{Missing}", new { description = "x" }, HttpStatusCode.NotFound),
            (HttpMethod.Delete, $"/api/v1/projects/{p}", $"/api/v1/projects/{Missing}", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"/api/v1/projects/{p}/members", $"/api/v1/projects/{Missing}/members", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"/api/v1/projects/{p}/members/me", $"/api/v1/projects/{Missing}/members/me", null, HttpStatusCode.NotFound),
            (HttpMethod.Delete, s.MemberUrl(s.Member.Subject), ProjectScenario.MemberUrl(Missing, s.Member.Subject), null, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"/api/v1/projects/{p}/files", $"/api/v1/projects/{Missing}/files", null, HttpStatusCode.NotFound),
        };

        foreach (var (method, existing, absent, body, status) in routes)
        {
            var forExisting = await AnswerAsync(stranger, method, existing, body);
            var forAbsent = await AnswerAsync(stranger, method, absent, body);
            Assert.True(forExisting == forAbsent, $"{method} {existing}: {forExisting} but {forAbsent} when missing");
            Assert.Equal((int)status, forExisting.Status);
        }

        // Creating a project in a tenant one does not own: one refusal whether the tenant exists or not.
        var intoForeign = await AnswerAsync(stranger, HttpMethod.Post, "/api/v1/projects", s.ProjectBody());
        var body2 = JsonSerializer.SerializeToElement(s.ProjectBody());
        var intoMissing = await AnswerAsync(stranger, HttpMethod.Post, "/api/v1/projects", new
        {
            tenantId = Missing,
            projectTypeId = body2.GetProperty("projectTypeId").GetString(),
            cloudIntegrationId = body2.GetProperty("cloudIntegrationId").GetString(),
            folderpath = "/x",
            name = "x",
        });
        Assert.Equal(intoForeign, intoMissing);
        Assert.Equal((403, "project/unauthorized", "Only tenant owners can create projects"), intoForeign);
    }

    private static async Task<(int Status, string Code, string Message)> AnswerAsync(HttpClient client, HttpMethod method, string url, object? body)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body);
        }

        var response = await client.SendAsync(request);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = document.RootElement.GetProperty("error");
        return ((int)response.StatusCode, error.GetProperty("code").GetString()!, error.GetProperty("message").GetString()!);
    }
}
