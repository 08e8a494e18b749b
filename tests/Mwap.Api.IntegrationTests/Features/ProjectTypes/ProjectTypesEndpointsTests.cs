using System.Net;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.ProjectTypes;

/// <summary>Project type routes #20–#24 and how a type's config schema and active flag govern projects.</summary>
public sealed class ProjectTypesEndpointsTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    [Fact]
    public async Task Create_Returns201_WithMwapShape()
    {
        var adminId = TestUsers.NewSubject("admin");
        var admin = await factory.CreateSuperAdminClientAsync(adminId);
        var type = await admin.CreateProjectTypeAsync(new { type = "object", properties = new { camera = new { type = "string" } } });
        Assert.Matches("^[0-9a-f]{24}$", type.GetProperty("_id").GetString());
        Assert.Equal("object", type.GetProperty("configSchema").GetProperty("type").GetString());
        Assert.True(type.GetProperty("isActive").GetBoolean());
        Assert.Equal(adminId, type.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task DuplicateName_Returns409()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var type = await admin.CreateProjectTypeAsync();
        var response = await admin.PostJsonAsync("/api/v1/project-types", new { name = type.GetProperty("name").GetString(), description = "", configSchema = new { }, isActive = true });
        await response.AssertErrorAsync(HttpStatusCode.Conflict, "project-type/name-exists");
    }

    [Theory]
    [InlineData("""{"name":"Valid Type","description":"","configSchema":[],"isActive":true}""")]
    [InlineData("""{"name":"Valid Type","description":"","configSchema":{"type":12},"isActive":true}""")]
    [InlineData("""{"name":"Valid Type","configSchema":{},"isActive":true}""")]
    [InlineData("""{"name":"Valid Type","description":"","configSchema":{}}""")]
    public async Task Create_WithBadBody_Returns400InvalidSchema(string body)
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        await (await admin.SendRawAsync(HttpMethod.Post, "/api/v1/project-types", body)).AssertErrorAsync(HttpStatusCode.BadRequest, "project-type/invalid-schema");
    }

    [Theory]
    [InlineData("""{"_id":"0123456789abcdef01234567"}""", "_id")]
    [InlineData("""{"createdBy":"auth0|mallory"}""", "createdBy")]
    [InlineData("""{"createdAt":"2020-01-01T00:00:00Z"}""", "createdAt")]
    public async Task Patch_WithServerOwnedField_DropsIt_NamesIt_AndWritesNothingOfIt(string body, string field)
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var type = await admin.CreateProjectTypeAsync();
        var id = type.GetProperty("_id").GetString();
        var response = await admin.SendRawAsync(HttpMethod.Patch, $"/api/v1/project-types/{id}", body);
        await response.ReadDataAsync();
        Assert.Equal(field, Assert.Single(response.Headers.GetValues("Mwap-Ignored-Fields")));
        var stored = await admin.GetAsync($"/api/v1/project-types/{id}").ReadDataAsync();
        foreach (var kept in new[] { "_id", "createdBy", "createdAt", "name", "configSchema" })
        {
            Assert.Equal(type.GetProperty(kept).GetRawText(), stored.GetProperty(kept).GetRawText());
        }
    }

    [Fact]
    public async Task Patch_UpdatesNameDescriptionActiveAndSchema()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var id = (await admin.CreateProjectTypeAsync()).GetProperty("_id").GetString();
        var name = TestUsers.UniqueName("Renamed");
        var updated = await admin.PatchJsonAsync($"/api/v1/project-types/{id}", new { name, description = "New", isActive = false, configSchema = new { type = "object", required = new[] { "x" } } }).ReadDataAsync();
        Assert.Equal(name, updated.GetProperty("name").GetString());
        Assert.False(updated.GetProperty("isActive").GetBoolean());
        Assert.Equal("x", updated.GetProperty("configSchema").GetProperty("required")[0].GetString());
    }

    [Fact]
    public async Task Read_BySuperAdminOrTenantOwner_OthersGet403()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var id = (await admin.CreateProjectTypeAsync()).GetProperty("_id").GetString();
        var owner = factory.CreateClientFor(TestUsers.NewSubject("owner"));
        await owner.CreateTenantAsync();
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/v1/project-types")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/v1/project-types/{id}")).StatusCode);
        var error = await (await factory.CreateClientFor(TestUsers.NewSubject()).GetAsync("/api/v1/project-types")).AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
        Assert.Equal("Tenant owner access required", error.GetProperty("message").GetString());
        await (await owner.PostJsonAsync("/api/v1/project-types", new { name = "Owner Type", description = "", configSchema = new { }, isActive = true }))
            .AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
    }

    [Fact]
    public async Task Get_Missing_Returns404()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        await (await admin.GetAsync("/api/v1/project-types/0123456789abcdef01234567")).AssertErrorAsync(HttpStatusCode.NotFound, "project-type/not-found");
    }

    [Fact]
    public async Task Delete_InUse_Returns409_UnusedReturns204()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        await setup.CreateProjectAsync();
        await (await setup.Admin.DeleteAsync($"/api/v1/project-types/{setup.TypeId}")).AssertErrorAsync(HttpStatusCode.Conflict, "project-type/in-use");
        var unused = (await setup.Admin.CreateProjectTypeAsync()).GetProperty("_id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await setup.Admin.DeleteAsync($"/api/v1/project-types/{unused}")).StatusCode);
    }

    [Fact]
    public async Task InactiveType_CannotBeUsedForNewProjects()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        await setup.Admin.PatchJsonAsync($"/api/v1/project-types/{setup.TypeId}", new { isActive = false }).ReadDataAsync();
        var response = await setup.Owner.PostProjectAsync(setup.TenantId, setup.TypeId, setup.IntegrationId);
        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "project/project-type-inactive");
    }

    [Fact]
    public async Task ProjectConfig_IsValidatedAgainstTheTypeSchema()
    {
        var schema = new { type = "object", properties = new { camera = new { type = "string" }, shots = new { type = "integer", minimum = 1 } }, required = new[] { "camera" }, additionalProperties = false };
        var setup = await TenantSetup.CreateAsync(factory, configSchema: schema);

        var missing = await setup.Owner.PostProjectAsync(setup.TenantId, setup.TypeId, setup.IntegrationId, config: new { shots = 3 });
        await missing.AssertErrorAsync(HttpStatusCode.BadRequest, "project/invalid-input");
        var wrongType = await setup.Owner.PostProjectAsync(setup.TenantId, setup.TypeId, setup.IntegrationId, config: new { camera = "Leica", shots = 0 });
        await wrongType.AssertErrorAsync(HttpStatusCode.BadRequest, "project/invalid-input");
        var extra = await setup.Owner.PostProjectAsync(setup.TenantId, setup.TypeId, setup.IntegrationId, config: new { camera = "Leica", lens = "50mm" });
        await extra.AssertErrorAsync(HttpStatusCode.BadRequest, "project/invalid-input");

        var project = await setup.CreateProjectAsync(config: new { camera = "Leica", shots = 12 });
        Assert.Equal(12, project.GetProperty("config").GetProperty("shots").GetInt32());
        var id = project.GetProperty("_id").GetString();
        await (await setup.Owner.PatchJsonAsync($"/api/v1/projects/{id}", new { config = new { shots = 2 } })).AssertErrorAsync(HttpStatusCode.BadRequest, "project/invalid-input");
    }
}
