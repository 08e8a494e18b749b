using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mwap.Api.IntegrationTests.Infrastructure;

/// <summary>A signed-in user: token subject and a client that sends its token.</summary>
public sealed record TestActor(string Subject, HttpClient Client);

/// <summary>
/// One project in one tenant, built through the API: a superadmin, a cloud provider, a project type, a tenant with its
/// owner, an integration, and a project whose members are an OWNER, a DEPUTY and a MEMBER; plus a stranger and the
/// owner of another tenant. Every name is unique, so scenarios never collide inside a class's shared database.
/// </summary>
public sealed class ProjectScenario
{
    private ProjectScenario(MwapApiFactory factory) => Factory = factory;

    public MwapApiFactory Factory { get; }
    public TestActor Admin { get; private set; } = null!;
    public TestActor TenantOwner { get; private set; } = null!;

    /// <summary>The project's OWNER: the tenant owner, unless the scenario was built with the tenant owner leaving.</summary>
    public TestActor ProjectOwner { get; private set; } = null!;

    public TestActor Deputy { get; private set; } = null!;
    public TestActor Member { get; private set; } = null!;
    public TestActor Stranger { get; private set; } = null!;
    public TestActor OtherTenantOwner { get; private set; } = null!;
    public HttpClient Anonymous => Factory.CreateClient();

    public string ProviderId { get; private set; } = null!;

    /// <summary>The client secret sent when the provider was created.</summary>
    public string ProviderSecret { get; private set; } = null!;

    public string ProjectTypeId { get; private set; } = null!;
    public string TenantId { get; private set; } = null!;
    public string OtherTenantId { get; private set; } = null!;
    public string IntegrationId { get; private set; } = null!;
    public string ProjectId { get; private set; } = null!;

    public string ProjectUrl => $"/api/v1/projects/{ProjectId}";
    public string MembersUrl => $"{ProjectUrl}/members";

    public static string MemberUrl(string projectId, string userId) => $"/api/v1/projects/{projectId}/members/{Uri.EscapeDataString(userId)}";

    public string MemberUrl(string userId) => MemberUrl(ProjectId, userId);

    /// <summary>
    /// Builds the scenario. With <paramref name="tenantOwnerStaysMember"/> false, the tenant owner creates the project
    /// with a separate OWNER and then loses the member row, so the tenant owner holds only the implicit OWNER role.
    /// </summary>
    public static async Task<ProjectScenario> CreateAsync(MwapApiFactory factory, bool tenantOwnerStaysMember = true)
    {
        var s = new ProjectScenario(factory);
        s.Admin = await NewSuperAdminAsync(factory);
        s.TenantOwner = NewActor(factory, "tenant-owner");
        s.Deputy = NewActor(factory, "deputy");
        s.Member = NewActor(factory, "member");
        s.Stranger = NewActor(factory, "stranger");
        s.OtherTenantOwner = NewActor(factory, "other-owner");
        s.ProjectOwner = tenantOwnerStaysMember ? s.TenantOwner : NewActor(factory, "project-owner");

        s.ProviderSecret = NewSecret();
        s.ProviderId = Id(await CreateProviderAsync(s.Admin.Client, s.ProviderSecret));
        s.ProjectTypeId = Id(await CreateProjectTypeAsync(s.Admin.Client));
        s.TenantId = Id(await CreateTenantAsync(s.TenantOwner.Client));
        s.OtherTenantId = Id(await CreateTenantAsync(s.OtherTenantOwner.Client));
        s.IntegrationId = Id(await CreateIntegrationAsync(s.TenantOwner.Client, s.TenantId, s.ProviderId));

        var members = new List<object> { new { userId = s.Deputy.Subject, role = "DEPUTY" }, new { userId = s.Member.Subject, role = "MEMBER" } };
        if (!tenantOwnerStaysMember)
        {
            members.Insert(0, new { userId = s.ProjectOwner.Subject, role = "OWNER" });
        }

        s.ProjectId = Id(await s.CreateProjectAsync(s.TenantOwner.Client, members: [.. members]));
        if (!tenantOwnerStaysMember)
        {
            await s.DropTenantOwnersMemberRowAsync();
        }

        return s;
    }

    /// <summary>
    /// Deletes the tenant owner's member row behind the API's back (the API refuses to remove the tenant owner), leaving
    /// the state older versions could produce: a tenant owner whose only role in the project is the implicit OWNER.
    /// </summary>
    public async Task DropTenantOwnersMemberRowAsync(string? projectId = null)
    {
        var id = projectId ?? ProjectId;
        await Factory.WithDbAsync(db => db.Set<Mwap.Api.Features.Projects.ProjectMember>()
            .Where(m => m.ProjectId == id && m.UserId == TenantOwner.Subject).ExecuteDeleteAsync());
        await using var scope = Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Mwap.Api.Infrastructure.Security.IRoleResolver>().InvalidateAsync([TenantOwner.Subject]);
    }

    public static TestActor NewActor(MwapApiFactory factory, string name = "user")
    {
        var subject = TestUsers.NewSubject(name);
        return new TestActor(subject, factory.CreateClientFor(subject));
    }

    public static async Task<TestActor> NewSuperAdminAsync(MwapApiFactory factory)
    {
        var subject = TestUsers.NewSubject("admin");
        return new TestActor(subject, await factory.CreateSuperAdminClientAsync(subject));
    }

    public static string Id(JsonElement resource) => resource.GetProperty("_id").GetString()!;

    public static string NewSecret() => "cs-" + Guid.NewGuid().ToString("N");

    public static object ProviderBody(string? secret = null) => new
    {
        name = TestUsers.UniqueName("Provider"),
        slug = "p-" + Guid.NewGuid().ToString("N")[..12],
        scopes = new[] { "files.read" },
        authUrl = "https://auth.example.test/authorize",
        tokenUrl = "https://auth.example.test/token",
        clientId = "client-" + Guid.NewGuid().ToString("N")[..8],
        clientSecret = secret ?? NewSecret(),
    };

    public static object ProjectTypeBody() => new
    {
        name = TestUsers.UniqueName("Type"),
        description = "A project type for tests",
        configSchema = new { type = "object" },
        isActive = true,
    };

    public static Task<JsonElement> CreateProviderAsync(HttpClient admin, string? secret = null) =>
        admin.PostJsonAsync("/api/v1/cloud-providers", ProviderBody(secret)).ReadDataAsync(HttpStatusCode.Created);

    public static Task<JsonElement> CreateProjectTypeAsync(HttpClient admin) =>
        admin.PostJsonAsync("/api/v1/project-types", ProjectTypeBody()).ReadDataAsync(HttpStatusCode.Created);

    public static Task<JsonElement> CreateTenantAsync(HttpClient owner) =>
        owner.PostJsonAsync("/api/v1/tenants", new { name = TestUsers.UniqueName() }).ReadDataAsync(HttpStatusCode.Created);

    public static Task<JsonElement> CreateIntegrationAsync(HttpClient owner, string tenantId, string providerId) =>
        owner.PostJsonAsync($"/api/v1/tenants/{tenantId}/integrations", new { providerId }).ReadDataAsync(HttpStatusCode.Created);

    /// <summary>The body of a valid create-project request in this scenario's tenant.</summary>
    public object ProjectBody(object[]? members = null) => new
    {
        tenantId = TenantId,
        projectTypeId = ProjectTypeId,
        cloudIntegrationId = IntegrationId,
        folderpath = "/Projects/" + Guid.NewGuid().ToString("N")[..8],
        name = TestUsers.UniqueName("Project"),
        members = members ?? [],
    };

    /// <summary>Creates another project in the scenario's tenant (the caller must be the tenant owner).</summary>
    public Task<JsonElement> CreateProjectAsync(HttpClient tenantOwner, object[]? members = null) =>
        tenantOwner.PostJsonAsync("/api/v1/projects", ProjectBody(members)).ReadDataAsync(HttpStatusCode.Created);

    /// <summary>Adds <paramref name="userId"/> with <paramref name="role"/> and asserts MWAP's 204.</summary>
    public async Task AddMemberAsync(HttpClient caller, string userId, string role, string? projectId = null)
    {
        var response = await caller.PostJsonAsync($"/api/v1/projects/{projectId ?? ProjectId}/members", new { userId, role });
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"Expected 204, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The member rows as a superadmin reads them, <c>userId → role</c> (the tenant owner's implicit OWNER entry left out).</summary>
    public async Task<Dictionary<string, string>> MembersAsync(string? projectId = null)
    {
        var data = await Admin.Client.GetAsync($"/api/v1/projects/{projectId ?? ProjectId}/members").ReadDataAsync();
        return data.EnumerateArray().Where(m => !(m.TryGetProperty("implicit", out var i) && i.GetBoolean()))
            .ToDictionary(m => m.GetProperty("userId").GetString()!, m => m.GetProperty("role").GetString()!);
    }
}
