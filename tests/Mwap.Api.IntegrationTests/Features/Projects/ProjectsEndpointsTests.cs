using System.Net;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Projects;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.Projects;

/// <summary>Project routes #30–#34 with every rule the original left unenforced.</summary>
public sealed class ProjectsEndpointsTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    [Fact]
    public async Task Create_Returns201_CreatorIsOwnerOnce_EvenWhenListedWithAnotherRole()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        var project = await setup.CreateProjectAsync(members: new[]
        {
            new { userId = setup.OwnerId, role = "MEMBER" },
            new { userId = "auth0|someone", role = "DEPUTY" },
        });

        var members = project.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(2, members.Count);
        Assert.Single(members, m => m.GetProperty("userId").GetString() == setup.OwnerId && m.GetProperty("role").GetString() == "OWNER");
        Assert.Equal(setup.TenantId, project.GetProperty("tenantId").GetString());
        Assert.Equal(setup.IntegrationId, project.GetProperty("cloudIntegrationId").GetString());
        Assert.Equal("/Projects/Test", project.GetProperty("folderpath").GetString());
        Assert.Equal(setup.OwnerId, project.GetProperty("createdBy").GetString());
        Assert.False(project.TryGetProperty("description", out _));
    }

    [Fact]
    public async Task Create_AcceptsTheGuidesFieldNames()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        var project = await setup.Owner.PostJsonAsync("/api/v1/projects", new
        {
            tenantId = setup.TenantId,
            projectTypeId = setup.TypeId,
            integrationId = setup.IntegrationId,
            folderPath = "Shoots//One/",
            name = TestUsers.UniqueName("Project"),
        }).ReadDataAsync(HttpStatusCode.Created);
        Assert.Equal("/Shoots/One", project.GetProperty("folderpath").GetString());
        Assert.Equal(setup.IntegrationId, project.GetProperty("cloudIntegrationId").GetString());
    }

    [Fact]
    public async Task Create_MoreMembersThanTheCap_Returns400()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        var members = Enumerable.Range(0, 10).Select(i => new { userId = $"auth0|m{i}", role = "MEMBER" }).ToArray();
        var response = await setup.Owner.PostProjectAsync(setup.TenantId, setup.TypeId, setup.IntegrationId, members: members);
        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "project/max-members-reached");
        Assert.Equal(0, await factory.WithDbAsync(db => db.Set<Project>().CountAsync(p => p.TenantId == setup.TenantId)));
    }

    [Fact]
    public async Task Create_BeyondMaxProjects_Returns409()
    {
        var setup = await TenantSetup.CreateAsync(factory, tenantSettings: new { maxProjects = 2 });
        await setup.CreateProjectAsync();
        await setup.CreateProjectAsync();
        await (await setup.Owner.PostProjectAsync(setup.TenantId, setup.TypeId, setup.IntegrationId)).AssertErrorAsync(HttpStatusCode.Conflict, "project/max-projects-reached");
    }

    [Fact]
    public async Task Create_ConcurrentlyAtMaxProjects_NeverOvershoots()
    {
        var setup = await TenantSetup.CreateAsync(factory, tenantSettings: new { maxProjects = 3 });
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => setup.Owner.PostProjectAsync(setup.TenantId, setup.TypeId, setup.IntegrationId)));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(3, await factory.WithDbAsync(db => db.Set<Project>().CountAsync(p => p.TenantId == setup.TenantId)));
    }

    [Fact]
    public async Task Create_DuplicateNameInTenant_Returns409_ButOtherTenantMayUseIt()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        var name = TestUsers.UniqueName("Project");
        await setup.CreateProjectAsync(name);
        await (await setup.Owner.PostProjectAsync(setup.TenantId, setup.TypeId, setup.IntegrationId, name)).AssertErrorAsync(HttpStatusCode.Conflict, "project/name-exists");
        var other = await TenantSetup.CreateAsync(factory);
        await other.CreateProjectAsync(name);
    }

    [Fact]
    public async Task Create_InArchivedTenant_Returns409()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        await setup.Owner.PatchJsonAsync($"/api/v1/tenants/{setup.TenantId}", new { archived = true }).ReadDataAsync();
        await (await setup.Owner.PostProjectAsync(setup.TenantId, setup.TypeId, setup.IntegrationId)).AssertErrorAsync(HttpStatusCode.Conflict, "project/tenant-archived");
    }

    [Fact]
    public async Task Create_ByNonOwner_Returns403_EvenForSuperAdmin()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        var stranger = factory.CreateClientFor(TestUsers.NewSubject());
        await (await stranger.PostProjectAsync(setup.TenantId, setup.TypeId, setup.IntegrationId)).AssertErrorAsync(HttpStatusCode.Forbidden, "project/unauthorized");
        await (await setup.Admin.PostProjectAsync(setup.TenantId, setup.TypeId, setup.IntegrationId)).AssertErrorAsync(HttpStatusCode.Forbidden, "project/unauthorized");
    }

    [Fact]
    public async Task Create_WithMissingReferences_Returns404WithTheRightCode()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        const string missing = "0123456789abcdef01234567";
        // Only a superadmin (who may see every tenant) learns that a tenant is missing; anyone else gets the refusal a foreign tenant gets.
        await (await setup.Owner.PostProjectAsync(missing, setup.TypeId, setup.IntegrationId)).AssertErrorAsync(HttpStatusCode.Forbidden, "project/unauthorized");
        await (await setup.Admin.PostProjectAsync(missing, setup.TypeId, setup.IntegrationId)).AssertErrorAsync(HttpStatusCode.NotFound, "project/tenant-not-found");
        await (await setup.Owner.PostProjectAsync(setup.TenantId, missing, setup.IntegrationId)).AssertErrorAsync(HttpStatusCode.NotFound, "project/project-type-not-found");
        await (await setup.Owner.PostProjectAsync(setup.TenantId, setup.TypeId, missing)).AssertErrorAsync(HttpStatusCode.NotFound, "project/cloud-integration-not-found");

        var other = await TenantSetup.CreateAsync(factory);
        await (await setup.Owner.PostProjectAsync(setup.TenantId, setup.TypeId, other.IntegrationId)).AssertErrorAsync(HttpStatusCode.NotFound, "project/cloud-integration-not-found");
    }

    [Theory]
    [InlineData("""{"projectTypeId":"0123456789abcdef01234567","cloudIntegrationId":"0123456789abcdef01234567","folderpath":"/x","name":"n"}""")]
    [InlineData("""{"tenantId":"bad","projectTypeId":"0123456789abcdef01234567","cloudIntegrationId":"0123456789abcdef01234567","folderpath":"/x","name":"n"}""")]
    [InlineData("""{"tenantId":"0123456789abcdef01234567","projectTypeId":"0123456789abcdef01234567","cloudIntegrationId":"0123456789abcdef01234567","folderpath":"/a/../b","name":"n"}""")]
    [InlineData("""{"tenantId":"0123456789abcdef01234567","projectTypeId":"0123456789abcdef01234567","cloudIntegrationId":"0123456789abcdef01234567","folderpath":"/x","name":"<b>n</b>"}""")]
    [InlineData("""{"tenantId":"0123456789abcdef01234567","projectTypeId":"0123456789abcdef01234567","cloudIntegrationId":"0123456789abcdef01234567","folderpath":"/x","name":"n","members":[{"userId":"u","role":"BOSS"}]}""")]
    [InlineData("""{"tenantId":"0123456789abcdef01234567","projectTypeId":"0123456789abcdef01234567","folderpath":"/x","name":"n"}""")]
    public async Task Create_WithBadBody_Returns400(string body)
    {
        var response = await factory.CreateClientFor(TestUsers.NewSubject()).SendRawAsync(HttpMethod.Post, "/api/v1/projects", body);
        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "project/invalid-input");
    }

    [Fact]
    public async Task List_ReturnsOnlyTheCallersProjects_AndSuperAdminCanListAll()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        var mine = (await setup.CreateProjectAsync()).GetProperty("_id").GetString();
        var other = await TenantSetup.CreateAsync(factory);
        var theirs = (await other.CreateProjectAsync()).GetProperty("_id").GetString();

        var listed = (await setup.Owner.GetAsync("/api/v1/projects").ReadDataAsync()).EnumerateArray().Select(p => p.GetProperty("_id").GetString()).ToList();
        Assert.Equal([mine], listed);
        Assert.Empty((await setup.Admin.GetAsync("/api/v1/projects").ReadDataAsync()).EnumerateArray());
        var all = (await setup.Admin.GetAsync("/api/v1/projects?all=true").ReadDataAsync()).EnumerateArray().Select(p => p.GetProperty("_id").GetString()).ToList();
        Assert.Contains(mine, all);
        Assert.Contains(theirs, all);
        await (await setup.Owner.GetAsync("/api/v1/projects?all=true")).AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
    }

    [Fact]
    public async Task Update_ByOwner_ChangesAllowedFields_AndIgnoresImmutableOnes()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        var project = await setup.CreateProjectAsync();
        var id = project.GetProperty("_id").GetString();
        var name = TestUsers.UniqueName("Renamed");
        var updated = await setup.Owner.PatchJsonAsync($"/api/v1/projects/{id}", new { name, description = "About", archived = true }).ReadDataAsync();
        Assert.Equal(name, updated.GetProperty("name").GetString());
        Assert.Equal("About", updated.GetProperty("description").GetString());
        Assert.True(updated.GetProperty("archived").GetBoolean());

        foreach (var (body, field) in new[] { ("""{"tenantId":"0123456789abcdef01234567"}""", "tenantId"), ("""{"members":[]}""", "members") })
        {
            var response = await setup.Owner.SendRawAsync(HttpMethod.Patch, $"/api/v1/projects/{id}", body);
            await response.ReadDataAsync();
            Assert.Equal(field, Assert.Single(response.Headers.GetValues("Mwap-Ignored-Fields")));
        }

        Assert.Single((await setup.Owner.GetAsync($"/api/v1/projects/{id}").ReadDataAsync()).GetProperty("members").EnumerateArray());
        Assert.Equal(setup.TenantId, (await setup.Owner.GetAsync($"/api/v1/projects/{id}").ReadDataAsync()).GetProperty("tenantId").GetString());
    }

    [Fact]
    public async Task Delete_RemovesProjectAndMembers_AndRolesUpdateAtOnce()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        var memberId = TestUsers.NewSubject("member");
        var member = factory.CreateClientFor(memberId);
        var id = (await setup.CreateProjectAsync(members: new[] { new { userId = memberId, role = "MEMBER" } })).GetProperty("_id").GetString();
        Assert.Equal(1, (await member.GetAsync("/api/v1/users/me/roles").ReadDataAsync()).GetProperty("projectRoles").GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await setup.Owner.DeleteAsync($"/api/v1/projects/{id}")).StatusCode);

        Assert.Equal(0, await factory.WithDbAsync(db => db.Set<ProjectMember>().CountAsync(m => m.ProjectId == id)));
        Assert.Equal(0, (await member.GetAsync("/api/v1/users/me/roles").ReadDataAsync()).GetProperty("projectRoles").GetArrayLength());
        await (await setup.Owner.GetAsync($"/api/v1/projects/{id}")).AssertErrorAsync(HttpStatusCode.NotFound, "project/not-found");
    }

    [Fact]
    public async Task DeletingTheTenant_RemovesEverythingItOwns()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        var memberId = TestUsers.NewSubject("member");
        await setup.CreateProjectAsync(members: new[] { new { userId = memberId, role = "DEPUTY" } });
        await setup.CreateProjectAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await setup.Admin.DeleteAsync($"/api/v1/tenants/{setup.TenantId}")).StatusCode);

        Assert.Equal(0, await factory.WithDbAsync(db => db.Set<Project>().CountAsync(p => p.TenantId == setup.TenantId)));
        Assert.Equal(0, await factory.WithDbAsync(db => db.Set<ProjectMember>().CountAsync(m => m.TenantId == setup.TenantId)));
        Assert.Equal(0, await factory.WithDbAsync(db => db.Set<CloudIntegration>().CountAsync(i => i.TenantId == setup.TenantId)));
        var roles = await factory.CreateClientFor(memberId).GetAsync("/api/v1/users/me/roles").ReadDataAsync();
        Assert.Equal(0, roles.GetProperty("projectRoles").GetArrayLength());
        var ownerRoles = await setup.Owner.GetAsync("/api/v1/users/me/roles").ReadDataAsync();
        Assert.False(ownerRoles.GetProperty("isTenantOwner").GetBoolean());
    }

    [Fact]
    public async Task IntegrationInUse_CannotBeDeleted()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        await setup.CreateProjectAsync();
        await (await setup.Owner.DeleteAsync($"/api/v1/tenants/{setup.TenantId}/integrations/{setup.IntegrationId}"))
            .AssertErrorAsync(HttpStatusCode.Conflict, "cloud-integration/in-use");
    }
}
