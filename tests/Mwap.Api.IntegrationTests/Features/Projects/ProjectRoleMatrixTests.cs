using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Projects;
using Mwap.Api.Features.ProjectTypes;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.Projects;

/// <summary>
/// Who may call what: every project and member route (#30–#39), the integration routes (#11–#15), project types
/// (#20–#24) and cloud providers (#25–#29), for every kind of caller. A refused call changes nothing (resources,
/// members, audit rows); an allowed write changes something and leaves exactly one audit row.
/// </summary>
public sealed class ProjectRoleMatrixTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    public enum ApiRoute
    {
        ListProjects,
        GetProject,
        CreateProject,
        UpdateProject,
        DeleteProject,
        ListMembers,
        AddMember,
        UpdateMember,
        RemoveMember,
        GetMyMembership,
        ListIntegrations,
        ListIntegrationsAlias,
        CreateIntegration,
        GetIntegration,
        UpdateIntegration,
        DeleteIntegration,
        ListProjectTypes,
        GetProjectType,
        CreateProjectType,
        UpdateProjectType,
        DeleteProjectType,
        ListCloudProviders,
        GetCloudProvider,
        CreateCloudProvider,
        UpdateCloudProvider,
        DeleteCloudProvider,
    }

    /// <summary>
    /// <see cref="TenantOwner"/> owns the project's tenant and has no member row (it created the project and the row was
    /// dropped): it holds the implicit OWNER role every tenant owner has on the tenant's projects;
    /// <see cref="ProjectOwner"/> is the project's OWNER and owns no tenant.
    /// </summary>
    public enum Caller
    {
        Anonymous,
        Stranger,
        TenantOwner,
        ProjectOwner,
        Deputy,
        Member,
        OtherTenantOwner,
        SuperAdmin,
    }

    private const string Unauthorized = "auth/unauthorized";
    private const string Denied = "auth/insufficient-permissions";
    private const string ProjectNotFound = "project/not-found";
    private const string ProjectUnauthorized = "project/unauthorized";
    private const string DeputyRequired = "DEPUTY access required";
    private const string OwnerRequired = "OWNER access required";
    private const string NotAMember = "Project not found or user not a member";
    private const string OnlyTenantOwners = "Only tenant owners can create projects";
    private const string AccessDenied = "Access denied";
    private const string TenantOwnerRequired = "Tenant owner access required";
    private const string SuperAdminRequired = "SuperAdmin access required";

    /// <summary>The scenario shared by rows that change nothing (reads, refusals); allowed writes get a fresh one.</summary>
    private static readonly ConditionalWeakTable<MwapApiFactory, Task<Target>> Shared = [];

    /// <summary>A scenario plus spare resources a write may target: an unused type, an unused provider, an unused integration.</summary>
    private sealed record Target(ProjectScenario S, string SpareTypeId, string SpareProviderId, string SpareIntegrationId);

    private sealed record Snapshot(string State, int AuditRows);

    [Theory]
    // #30 GET /projects: every signed-in user; each sees only the projects they belong to.
    [InlineData(ApiRoute.ListProjects, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.ListProjects, Caller.Stranger, 200, null, null)]
    [InlineData(ApiRoute.ListProjects, Caller.TenantOwner, 200, null, null)]
    [InlineData(ApiRoute.ListProjects, Caller.ProjectOwner, 200, null, null)]
    [InlineData(ApiRoute.ListProjects, Caller.Deputy, 200, null, null)]
    [InlineData(ApiRoute.ListProjects, Caller.Member, 200, null, null)]
    [InlineData(ApiRoute.ListProjects, Caller.OtherTenantOwner, 200, null, null)]
    [InlineData(ApiRoute.ListProjects, Caller.SuperAdmin, 200, null, null)]
    // #31 GET /projects/{id}: members and superadmins; everyone else MWAP's 404.
    [InlineData(ApiRoute.GetProject, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.GetProject, Caller.Stranger, 404, ProjectNotFound, NotAMember)]
    [InlineData(ApiRoute.GetProject, Caller.TenantOwner, 200, null, null)]
    [InlineData(ApiRoute.GetProject, Caller.ProjectOwner, 200, null, null)]
    [InlineData(ApiRoute.GetProject, Caller.Deputy, 200, null, null)]
    [InlineData(ApiRoute.GetProject, Caller.Member, 200, null, null)]
    [InlineData(ApiRoute.GetProject, Caller.OtherTenantOwner, 404, ProjectNotFound, NotAMember)]
    [InlineData(ApiRoute.GetProject, Caller.SuperAdmin, 200, null, null)]
    // #32 POST /projects: only the owner of the body's tenant, superadmins included in the refusal.
    [InlineData(ApiRoute.CreateProject, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.CreateProject, Caller.Stranger, 403, ProjectUnauthorized, OnlyTenantOwners)]
    [InlineData(ApiRoute.CreateProject, Caller.TenantOwner, 201, null, null)]
    [InlineData(ApiRoute.CreateProject, Caller.ProjectOwner, 403, ProjectUnauthorized, OnlyTenantOwners)]
    [InlineData(ApiRoute.CreateProject, Caller.Deputy, 403, ProjectUnauthorized, OnlyTenantOwners)]
    [InlineData(ApiRoute.CreateProject, Caller.Member, 403, ProjectUnauthorized, OnlyTenantOwners)]
    [InlineData(ApiRoute.CreateProject, Caller.OtherTenantOwner, 403, ProjectUnauthorized, OnlyTenantOwners)]
    [InlineData(ApiRoute.CreateProject, Caller.SuperAdmin, 403, ProjectUnauthorized, OnlyTenantOwners)]
    // #33 PATCH /projects/{id}: DEPUTY or higher.
    [InlineData(ApiRoute.UpdateProject, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.UpdateProject, Caller.Stranger, 404, ProjectNotFound, NotAMember)]
    [InlineData(ApiRoute.UpdateProject, Caller.TenantOwner, 200, null, null)]
    [InlineData(ApiRoute.UpdateProject, Caller.ProjectOwner, 200, null, null)]
    [InlineData(ApiRoute.UpdateProject, Caller.Deputy, 200, null, null)]
    [InlineData(ApiRoute.UpdateProject, Caller.Member, 403, Denied, DeputyRequired)]
    [InlineData(ApiRoute.UpdateProject, Caller.OtherTenantOwner, 404, ProjectNotFound, NotAMember)]
    [InlineData(ApiRoute.UpdateProject, Caller.SuperAdmin, 200, null, null)]
    // #34 DELETE /projects/{id}: OWNER.
    [InlineData(ApiRoute.DeleteProject, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.DeleteProject, Caller.Stranger, 404, ProjectNotFound, NotAMember)]
    [InlineData(ApiRoute.DeleteProject, Caller.TenantOwner, 204, null, null)]
    [InlineData(ApiRoute.DeleteProject, Caller.ProjectOwner, 204, null, null)]
    [InlineData(ApiRoute.DeleteProject, Caller.Deputy, 403, Denied, OwnerRequired)]
    [InlineData(ApiRoute.DeleteProject, Caller.Member, 403, Denied, OwnerRequired)]
    [InlineData(ApiRoute.DeleteProject, Caller.OtherTenantOwner, 404, ProjectNotFound, NotAMember)]
    [InlineData(ApiRoute.DeleteProject, Caller.SuperAdmin, 204, null, null)]
    // #35 GET /projects/{id}/members: MEMBER or higher.
    [InlineData(ApiRoute.ListMembers, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.ListMembers, Caller.Stranger, 404, ProjectNotFound, NotAMember)]
    [InlineData(ApiRoute.ListMembers, Caller.TenantOwner, 200, null, null)]
    [InlineData(ApiRoute.ListMembers, Caller.ProjectOwner, 200, null, null)]
    [InlineData(ApiRoute.ListMembers, Caller.Deputy, 200, null, null)]
    [InlineData(ApiRoute.ListMembers, Caller.Member, 200, null, null)]
    [InlineData(ApiRoute.ListMembers, Caller.OtherTenantOwner, 404, ProjectNotFound, NotAMember)]
    [InlineData(ApiRoute.ListMembers, Caller.SuperAdmin, 200, null, null)]
    // #36 POST /projects/{id}/members: DEPUTY or higher.
    [InlineData(ApiRoute.AddMember, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.AddMember, Caller.Stranger, 404, ProjectNotFound, NotAMember)]
    [InlineData(ApiRoute.AddMember, Caller.TenantOwner, 204, null, null)]
    [InlineData(ApiRoute.AddMember, Caller.ProjectOwner, 204, null, null)]
    [InlineData(ApiRoute.AddMember, Caller.Deputy, 204, null, null)]
    [InlineData(ApiRoute.AddMember, Caller.Member, 403, Denied, DeputyRequired)]
    [InlineData(ApiRoute.AddMember, Caller.OtherTenantOwner, 404, ProjectNotFound, NotAMember)]
    [InlineData(ApiRoute.AddMember, Caller.SuperAdmin, 204, null, null)]
    // #37 PATCH /projects/{id}/members/{userId}: OWNER.
    [InlineData(ApiRoute.UpdateMember, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.UpdateMember, Caller.Stranger, 404, ProjectNotFound, NotAMember)]
    [InlineData(ApiRoute.UpdateMember, Caller.TenantOwner, 204, null, null)]
    [InlineData(ApiRoute.UpdateMember, Caller.ProjectOwner, 204, null, null)]
    [InlineData(ApiRoute.UpdateMember, Caller.Deputy, 403, Denied, OwnerRequired)]
    [InlineData(ApiRoute.UpdateMember, Caller.Member, 403, Denied, OwnerRequired)]
    [InlineData(ApiRoute.UpdateMember, Caller.OtherTenantOwner, 404, ProjectNotFound, NotAMember)]
    [InlineData(ApiRoute.UpdateMember, Caller.SuperAdmin, 204, null, null)]
    // #38 DELETE /projects/{id}/members/{userId}: OWNER.
    [InlineData(ApiRoute.RemoveMember, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.RemoveMember, Caller.Stranger, 404, ProjectNotFound, NotAMember)]
    [InlineData(ApiRoute.RemoveMember, Caller.TenantOwner, 204, null, null)]
    [InlineData(ApiRoute.RemoveMember, Caller.ProjectOwner, 204, null, null)]
    [InlineData(ApiRoute.RemoveMember, Caller.Deputy, 403, Denied, OwnerRequired)]
    [InlineData(ApiRoute.RemoveMember, Caller.Member, 403, Denied, OwnerRequired)]
    [InlineData(ApiRoute.RemoveMember, Caller.OtherTenantOwner, 404, ProjectNotFound, NotAMember)]
    [InlineData(ApiRoute.RemoveMember, Caller.SuperAdmin, 204, null, null)]
    // #39 GET /projects/{id}/members/me: members only; a superadmin holds no membership.
    [InlineData(ApiRoute.GetMyMembership, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.GetMyMembership, Caller.Stranger, 404, ProjectNotFound, NotAMember)]
    [InlineData(ApiRoute.GetMyMembership, Caller.TenantOwner, 200, null, null)]
    [InlineData(ApiRoute.GetMyMembership, Caller.ProjectOwner, 200, null, null)]
    [InlineData(ApiRoute.GetMyMembership, Caller.Deputy, 200, null, null)]
    [InlineData(ApiRoute.GetMyMembership, Caller.Member, 200, null, null)]
    [InlineData(ApiRoute.GetMyMembership, Caller.OtherTenantOwner, 404, ProjectNotFound, NotAMember)]
    [InlineData(ApiRoute.GetMyMembership, Caller.SuperAdmin, 404, ProjectNotFound, NotAMember)]
    public Task ProjectAndMemberRoutes_FollowTheRoleMatrix(ApiRoute route, Caller caller, int status, string? code, string? message) =>
        AssertRowAsync(route, caller, status, code, message);

    [Theory]
    // #11–#15: the owner of that tenant or a superadmin; project roles and other tenants give nothing.
    [InlineData(ApiRoute.ListIntegrations, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.ListIntegrations, Caller.Stranger, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.ListIntegrations, Caller.TenantOwner, 200, null, null)]
    [InlineData(ApiRoute.ListIntegrations, Caller.ProjectOwner, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.ListIntegrations, Caller.Deputy, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.ListIntegrations, Caller.Member, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.ListIntegrations, Caller.OtherTenantOwner, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.ListIntegrations, Caller.SuperAdmin, 200, null, null)]
    [InlineData(ApiRoute.ListIntegrationsAlias, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.ListIntegrationsAlias, Caller.Stranger, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.ListIntegrationsAlias, Caller.TenantOwner, 200, null, null)]
    [InlineData(ApiRoute.ListIntegrationsAlias, Caller.ProjectOwner, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.ListIntegrationsAlias, Caller.Deputy, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.ListIntegrationsAlias, Caller.Member, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.ListIntegrationsAlias, Caller.OtherTenantOwner, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.ListIntegrationsAlias, Caller.SuperAdmin, 200, null, null)]
    [InlineData(ApiRoute.CreateIntegration, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.CreateIntegration, Caller.Stranger, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.CreateIntegration, Caller.TenantOwner, 201, null, null)]
    [InlineData(ApiRoute.CreateIntegration, Caller.ProjectOwner, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.CreateIntegration, Caller.Deputy, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.CreateIntegration, Caller.Member, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.CreateIntegration, Caller.OtherTenantOwner, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.CreateIntegration, Caller.SuperAdmin, 201, null, null)]
    [InlineData(ApiRoute.GetIntegration, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.GetIntegration, Caller.Stranger, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.GetIntegration, Caller.TenantOwner, 200, null, null)]
    [InlineData(ApiRoute.GetIntegration, Caller.ProjectOwner, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.GetIntegration, Caller.Deputy, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.GetIntegration, Caller.Member, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.GetIntegration, Caller.OtherTenantOwner, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.GetIntegration, Caller.SuperAdmin, 200, null, null)]
    [InlineData(ApiRoute.UpdateIntegration, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.UpdateIntegration, Caller.Stranger, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.UpdateIntegration, Caller.TenantOwner, 200, null, null)]
    [InlineData(ApiRoute.UpdateIntegration, Caller.ProjectOwner, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.UpdateIntegration, Caller.Deputy, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.UpdateIntegration, Caller.Member, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.UpdateIntegration, Caller.OtherTenantOwner, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.UpdateIntegration, Caller.SuperAdmin, 200, null, null)]
    [InlineData(ApiRoute.DeleteIntegration, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.DeleteIntegration, Caller.Stranger, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.DeleteIntegration, Caller.TenantOwner, 204, null, null)]
    [InlineData(ApiRoute.DeleteIntegration, Caller.ProjectOwner, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.DeleteIntegration, Caller.Deputy, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.DeleteIntegration, Caller.Member, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.DeleteIntegration, Caller.OtherTenantOwner, 403, Denied, AccessDenied)]
    [InlineData(ApiRoute.DeleteIntegration, Caller.SuperAdmin, 204, null, null)]
    public Task IntegrationRoutes_FollowTheRoleMatrix(ApiRoute route, Caller caller, int status, string? code, string? message) =>
        AssertRowAsync(route, caller, status, code, message);

    [Theory]
    // #20–#21: superadmins and the owner of any tenant read.
    [InlineData(ApiRoute.ListProjectTypes, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.ListProjectTypes, Caller.Stranger, 403, Denied, TenantOwnerRequired)]
    [InlineData(ApiRoute.ListProjectTypes, Caller.TenantOwner, 200, null, null)]
    [InlineData(ApiRoute.ListProjectTypes, Caller.ProjectOwner, 403, Denied, TenantOwnerRequired)]
    [InlineData(ApiRoute.ListProjectTypes, Caller.Deputy, 403, Denied, TenantOwnerRequired)]
    [InlineData(ApiRoute.ListProjectTypes, Caller.Member, 403, Denied, TenantOwnerRequired)]
    [InlineData(ApiRoute.ListProjectTypes, Caller.OtherTenantOwner, 200, null, null)]
    [InlineData(ApiRoute.ListProjectTypes, Caller.SuperAdmin, 200, null, null)]
    [InlineData(ApiRoute.GetProjectType, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.GetProjectType, Caller.Stranger, 403, Denied, TenantOwnerRequired)]
    [InlineData(ApiRoute.GetProjectType, Caller.TenantOwner, 200, null, null)]
    [InlineData(ApiRoute.GetProjectType, Caller.ProjectOwner, 403, Denied, TenantOwnerRequired)]
    [InlineData(ApiRoute.GetProjectType, Caller.Deputy, 403, Denied, TenantOwnerRequired)]
    [InlineData(ApiRoute.GetProjectType, Caller.Member, 403, Denied, TenantOwnerRequired)]
    [InlineData(ApiRoute.GetProjectType, Caller.OtherTenantOwner, 200, null, null)]
    [InlineData(ApiRoute.GetProjectType, Caller.SuperAdmin, 200, null, null)]
    // #22–#24: superadmins write.
    [InlineData(ApiRoute.CreateProjectType, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.CreateProjectType, Caller.Stranger, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.CreateProjectType, Caller.TenantOwner, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.CreateProjectType, Caller.ProjectOwner, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.CreateProjectType, Caller.Deputy, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.CreateProjectType, Caller.Member, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.CreateProjectType, Caller.OtherTenantOwner, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.CreateProjectType, Caller.SuperAdmin, 201, null, null)]
    [InlineData(ApiRoute.UpdateProjectType, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.UpdateProjectType, Caller.Stranger, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.UpdateProjectType, Caller.TenantOwner, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.UpdateProjectType, Caller.ProjectOwner, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.UpdateProjectType, Caller.Deputy, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.UpdateProjectType, Caller.Member, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.UpdateProjectType, Caller.OtherTenantOwner, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.UpdateProjectType, Caller.SuperAdmin, 200, null, null)]
    [InlineData(ApiRoute.DeleteProjectType, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.DeleteProjectType, Caller.Stranger, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.DeleteProjectType, Caller.TenantOwner, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.DeleteProjectType, Caller.ProjectOwner, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.DeleteProjectType, Caller.Deputy, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.DeleteProjectType, Caller.Member, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.DeleteProjectType, Caller.OtherTenantOwner, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.DeleteProjectType, Caller.SuperAdmin, 204, null, null)]
    public Task ProjectTypeRoutes_FollowTheRoleMatrix(ApiRoute route, Caller caller, int status, string? code, string? message) =>
        AssertRowAsync(route, caller, status, code, message);

    [Theory]
    // #25–#26: every signed-in user reads.
    [InlineData(ApiRoute.ListCloudProviders, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.ListCloudProviders, Caller.Stranger, 200, null, null)]
    [InlineData(ApiRoute.ListCloudProviders, Caller.TenantOwner, 200, null, null)]
    [InlineData(ApiRoute.ListCloudProviders, Caller.ProjectOwner, 200, null, null)]
    [InlineData(ApiRoute.ListCloudProviders, Caller.Deputy, 200, null, null)]
    [InlineData(ApiRoute.ListCloudProviders, Caller.Member, 200, null, null)]
    [InlineData(ApiRoute.ListCloudProviders, Caller.OtherTenantOwner, 200, null, null)]
    [InlineData(ApiRoute.ListCloudProviders, Caller.SuperAdmin, 200, null, null)]
    [InlineData(ApiRoute.GetCloudProvider, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.GetCloudProvider, Caller.Stranger, 200, null, null)]
    [InlineData(ApiRoute.GetCloudProvider, Caller.TenantOwner, 200, null, null)]
    [InlineData(ApiRoute.GetCloudProvider, Caller.ProjectOwner, 200, null, null)]
    [InlineData(ApiRoute.GetCloudProvider, Caller.Deputy, 200, null, null)]
    [InlineData(ApiRoute.GetCloudProvider, Caller.Member, 200, null, null)]
    [InlineData(ApiRoute.GetCloudProvider, Caller.OtherTenantOwner, 200, null, null)]
    [InlineData(ApiRoute.GetCloudProvider, Caller.SuperAdmin, 200, null, null)]
    // #27–#29: superadmins write.
    [InlineData(ApiRoute.CreateCloudProvider, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.CreateCloudProvider, Caller.Stranger, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.CreateCloudProvider, Caller.TenantOwner, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.CreateCloudProvider, Caller.ProjectOwner, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.CreateCloudProvider, Caller.Deputy, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.CreateCloudProvider, Caller.Member, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.CreateCloudProvider, Caller.OtherTenantOwner, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.CreateCloudProvider, Caller.SuperAdmin, 201, null, null)]
    [InlineData(ApiRoute.UpdateCloudProvider, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.UpdateCloudProvider, Caller.Stranger, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.UpdateCloudProvider, Caller.TenantOwner, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.UpdateCloudProvider, Caller.ProjectOwner, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.UpdateCloudProvider, Caller.Deputy, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.UpdateCloudProvider, Caller.Member, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.UpdateCloudProvider, Caller.OtherTenantOwner, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.UpdateCloudProvider, Caller.SuperAdmin, 200, null, null)]
    [InlineData(ApiRoute.DeleteCloudProvider, Caller.Anonymous, 401, Unauthorized, null)]
    [InlineData(ApiRoute.DeleteCloudProvider, Caller.Stranger, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.DeleteCloudProvider, Caller.TenantOwner, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.DeleteCloudProvider, Caller.ProjectOwner, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.DeleteCloudProvider, Caller.Deputy, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.DeleteCloudProvider, Caller.Member, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.DeleteCloudProvider, Caller.OtherTenantOwner, 403, Denied, SuperAdminRequired)]
    [InlineData(ApiRoute.DeleteCloudProvider, Caller.SuperAdmin, 204, null, null)]
    public Task CloudProviderRoutes_FollowTheRoleMatrix(ApiRoute route, Caller caller, int status, string? code, string? message) =>
        AssertRowAsync(route, caller, status, code, message);

    [Fact]
    public async Task ProjectGuards_ForMissingProject_SayNotFound_AndSuperAdminGets404FromTheService()
    {
        var t = await SharedAsync();
        var missing = "0123456789abcdef01234567";
        var error = await (await t.S.Stranger.Client.PatchJsonAsync($"/api/v1/projects/{missing}", new { description = "x" }))
            .AssertErrorAsync(HttpStatusCode.NotFound, ProjectNotFound);
        Assert.Equal(NotAMember, error.GetProperty("message").GetString());
        await (await t.S.Admin.Client.PatchJsonAsync($"/api/v1/projects/{missing}", new { description = "x" }))
            .AssertErrorAsync(HttpStatusCode.NotFound, ProjectNotFound);
        await (await t.S.Admin.Client.DeleteAsync($"/api/v1/projects/{missing}")).AssertErrorAsync(HttpStatusCode.NotFound, ProjectNotFound);
    }

    [Fact]
    public async Task IntegrationRoutes_ForAnotherTenantsIntegration_AreRefusedToThatTenantsOwner()
    {
        var t = await SharedAsync();
        var before = await SnapshotAsync();
        var other = t.S.OtherTenantOwner.Client;
        var url = $"/api/v1/tenants/{t.S.OtherTenantId}/integrations/{t.S.IntegrationId}";
        await (await other.GetAsync(url)).AssertErrorAsync(HttpStatusCode.NotFound, "cloud-integration/not-found");
        await (await other.PatchJsonAsync(url, new { status = "inactive" })).AssertErrorAsync(HttpStatusCode.NotFound, "cloud-integration/not-found");
        await (await other.DeleteAsync(url)).AssertErrorAsync(HttpStatusCode.NotFound, "cloud-integration/not-found");
        Assert.Equal(before, await SnapshotAsync());
    }

    private async Task AssertRowAsync(ApiRoute route, Caller caller, int status, string? code, string? message)
    {
        var isWrite = !route.ToString().StartsWith("List", StringComparison.Ordinal) && !route.ToString().StartsWith("Get", StringComparison.Ordinal);
        var succeeds = status is >= 200 and < 300;
        var t = isWrite && succeeds ? await NewTargetAsync() : await SharedAsync();
        var before = await SnapshotAsync();

        var response = await SendAsync(route, t, ClientOf(t.S, caller));

        if (succeeds)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
            if (status != 204)
            {
                await AssertPayloadAsync(route, caller, t, response);
            }
        }
        else
        {
            var error = await response.AssertErrorAsync((HttpStatusCode)status, code!);
            if (message is not null)
            {
                Assert.Equal(message, error.GetProperty("message").GetString());
            }
        }

        var after = await SnapshotAsync();
        if (isWrite && succeeds)
        {
            Assert.NotEqual(before.State, after.State);
            Assert.Equal(before.AuditRows + 1, after.AuditRows);
        }
        else
        {
            Assert.Equal(before, after);
        }
    }

    private static async Task AssertPayloadAsync(ApiRoute route, Caller caller, Target t, HttpResponseMessage response)
    {
        var raw = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(t.S.ProviderSecret, raw, StringComparison.Ordinal);
        var data = await response.ReadDataAsync(response.StatusCode);
        switch (route)
        {
            case ApiRoute.ListProjects:
                var ids = data.EnumerateArray().Select(ProjectScenario.Id).ToList();
                Assert.Equal(caller is Caller.TenantOwner or Caller.ProjectOwner or Caller.Deputy or Caller.Member, ids.Contains(t.S.ProjectId));
                break;
            case ApiRoute.GetProject:
                Assert.Equal(t.S.ProjectId, ProjectScenario.Id(data));
                break;
            case ApiRoute.ListMembers:
                // The tenant owner first, marked implicit: no member row holds its OWNER role.
                Assert.Equal(
                    [(t.S.TenantOwner.Subject, "OWNER", true), (t.S.ProjectOwner.Subject, "OWNER", false), (t.S.Deputy.Subject, "DEPUTY", false), (t.S.Member.Subject, "MEMBER", false)],
                    data.EnumerateArray().Select(m => (m.GetProperty("userId").GetString()!, m.GetProperty("role").GetString()!,
                        m.TryGetProperty("implicit", out var i) && i.GetBoolean())));
                break;
            case ApiRoute.GetMyMembership:
                var expected = caller switch { Caller.ProjectOwner or Caller.TenantOwner => "OWNER", Caller.Deputy => "DEPUTY", _ => "MEMBER" };
                Assert.Equal(expected, data.GetProperty("role").GetString());
                Assert.Equal(caller == Caller.TenantOwner, data.TryGetProperty("implicit", out var isImplicit) && isImplicit.GetBoolean());
                break;
            case ApiRoute.ListIntegrations or ApiRoute.ListIntegrationsAlias:
                Assert.Equal(
                    new[] { t.S.IntegrationId, t.SpareIntegrationId }.Order(StringComparer.Ordinal),
                    data.EnumerateArray().Select(ProjectScenario.Id).Order(StringComparer.Ordinal));
                break;
            case ApiRoute.GetIntegration:
                Assert.Equal(t.S.IntegrationId, ProjectScenario.Id(data));
                Assert.Equal(t.S.TenantId, data.GetProperty("tenantId").GetString());
                break;
            case ApiRoute.ListProjectTypes:
                Assert.Contains(t.S.ProjectTypeId, data.EnumerateArray().Select(ProjectScenario.Id));
                break;
            case ApiRoute.GetProjectType:
                Assert.Equal(t.S.ProjectTypeId, ProjectScenario.Id(data));
                break;
            case ApiRoute.ListCloudProviders:
                var provider = Assert.Single(data.EnumerateArray(), p => ProjectScenario.Id(p) == t.S.ProviderId);
                Assert.Equal("[REDACTED]", provider.GetProperty("clientSecret").GetString());
                break;
            case ApiRoute.GetCloudProvider:
                Assert.Equal(t.S.ProviderId, ProjectScenario.Id(data));
                Assert.Equal("[REDACTED]", data.GetProperty("clientSecret").GetString());
                break;
            default:
                Assert.Equal(JsonValueKind.Object, data.ValueKind);
                break;
        }
    }

    private static Task<HttpResponseMessage> SendAsync(ApiRoute route, Target t, HttpClient client)
    {
        var s = t.S;
        var integrations = $"/api/v1/tenants/{s.TenantId}/integrations";
        return route switch
        {
            ApiRoute.ListProjects => client.GetAsync("/api/v1/projects"),
            ApiRoute.GetProject => client.GetAsync(s.ProjectUrl),
            ApiRoute.CreateProject => client.PostJsonAsync("/api/v1/projects", s.ProjectBody()),
            ApiRoute.UpdateProject => client.PatchJsonAsync(s.ProjectUrl, new { description = "Changed " + Guid.NewGuid().ToString("N")[..6] }),
            ApiRoute.DeleteProject => client.DeleteAsync(s.ProjectUrl),
            ApiRoute.ListMembers => client.GetAsync(s.MembersUrl),
            ApiRoute.AddMember => client.PostJsonAsync(s.MembersUrl, new { userId = TestUsers.NewSubject("new"), role = "MEMBER" }),
            ApiRoute.UpdateMember => client.PatchJsonAsync(s.MemberUrl(s.Member.Subject), new { role = "DEPUTY" }),
            ApiRoute.RemoveMember => client.DeleteAsync(s.MemberUrl(s.Member.Subject)),
            ApiRoute.GetMyMembership => client.GetAsync($"{s.MembersUrl}/me"),
            ApiRoute.ListIntegrations => client.GetAsync(integrations),
            ApiRoute.ListIntegrationsAlias => client.GetAsync($"/api/v1/tenants/{s.TenantId}/cloud-integrations"),
            ApiRoute.CreateIntegration => client.PostJsonAsync(integrations, new { providerId = t.SpareProviderId }),
            ApiRoute.GetIntegration => client.GetAsync($"{integrations}/{s.IntegrationId}"),
            ApiRoute.UpdateIntegration => client.PatchJsonAsync($"{integrations}/{s.IntegrationId}", new { status = "inactive" }),
            ApiRoute.DeleteIntegration => client.DeleteAsync($"{integrations}/{t.SpareIntegrationId}"),
            ApiRoute.ListProjectTypes => client.GetAsync("/api/v1/project-types"),
            ApiRoute.GetProjectType => client.GetAsync($"/api/v1/project-types/{s.ProjectTypeId}"),
            ApiRoute.CreateProjectType => client.PostJsonAsync("/api/v1/project-types", ProjectScenario.ProjectTypeBody()),
            ApiRoute.UpdateProjectType => client.PatchJsonAsync($"/api/v1/project-types/{t.SpareTypeId}", new { description = "Changed", isActive = false }),
            ApiRoute.DeleteProjectType => client.DeleteAsync($"/api/v1/project-types/{t.SpareTypeId}"),
            ApiRoute.ListCloudProviders => client.GetAsync("/api/v1/cloud-providers"),
            ApiRoute.GetCloudProvider => client.GetAsync($"/api/v1/cloud-providers/{s.ProviderId}"),
            ApiRoute.CreateCloudProvider => client.PostJsonAsync("/api/v1/cloud-providers", ProjectScenario.ProviderBody()),
            ApiRoute.UpdateCloudProvider => client.PatchJsonAsync($"/api/v1/cloud-providers/{t.SpareProviderId}", new { displayName = "Changed name", clientSecret = ProjectScenario.NewSecret() }),
            ApiRoute.DeleteCloudProvider => client.DeleteAsync($"/api/v1/cloud-providers/{t.SpareProviderId}"),
            _ => throw new ArgumentOutOfRangeException(nameof(route)),
        };
    }

    private static HttpClient ClientOf(ProjectScenario s, Caller caller) => caller switch
    {
        Caller.Anonymous => s.Anonymous,
        Caller.Stranger => s.Stranger.Client,
        Caller.TenantOwner => s.TenantOwner.Client,
        Caller.ProjectOwner => s.ProjectOwner.Client,
        Caller.Deputy => s.Deputy.Client,
        Caller.Member => s.Member.Client,
        Caller.OtherTenantOwner => s.OtherTenantOwner.Client,
        Caller.SuperAdmin => s.Admin.Client,
        _ => throw new ArgumentOutOfRangeException(nameof(caller)),
    };

    private Task<Target> SharedAsync() => Shared.GetValue(factory, f => NewTargetAsync(f));

    private Task<Target> NewTargetAsync() => NewTargetAsync(factory);

    private static async Task<Target> NewTargetAsync(MwapApiFactory factory)
    {
        var s = await ProjectScenario.CreateAsync(factory, tenantOwnerStaysMember: false);
        var spareType = ProjectScenario.Id(await ProjectScenario.CreateProjectTypeAsync(s.Admin.Client));
        var spareProvider = ProjectScenario.Id(await ProjectScenario.CreateProviderAsync(s.Admin.Client));
        var integrated = ProjectScenario.Id(await ProjectScenario.CreateProviderAsync(s.Admin.Client));
        var spareIntegration = ProjectScenario.Id(await ProjectScenario.CreateIntegrationAsync(s.TenantOwner.Client, s.TenantId, integrated));
        return new Target(s, spareType, spareProvider, spareIntegration);
    }

    /// <summary>Every row of every table these routes write, and the number of audit rows.</summary>
    private Task<Snapshot> SnapshotAsync() => factory.WithDbAsync(async db =>
    {
        var tenants = await db.Tenants.AsNoTracking().OrderBy(x => x.Id).Select(x => new { x.Id, x.Name, x.Archived, x.Version, x.UpdatedAt }).ToListAsync();
        var projects = await db.Set<Project>().AsNoTracking().OrderBy(x => x.Id)
            .Select(x => new { x.Id, x.Name, x.Description, x.Archived, x.Config, x.Version, x.UpdatedAt }).ToListAsync();
        var members = await db.Set<ProjectMember>().AsNoTracking().OrderBy(x => x.ProjectId).ThenBy(x => x.UserId)
            .Select(x => new { x.ProjectId, x.UserId, x.Role }).ToListAsync();
        var integrations = await db.Set<CloudIntegration>().AsNoTracking().OrderBy(x => x.Id)
            .Select(x => new { x.Id, x.TenantId, x.ProviderId, x.Status, x.Metadata, x.Version, x.UpdatedAt }).ToListAsync();
        var types = await db.Set<ProjectType>().AsNoTracking().OrderBy(x => x.Id)
            .Select(x => new { x.Id, x.Name, x.Description, x.IsActive, x.ConfigSchema, x.Version }).ToListAsync();
        var providers = await db.Set<CloudProvider>().AsNoTracking().OrderBy(x => x.Id)
            .Select(x => new { x.Id, x.Name, x.DisplayName, x.Slug, x.ClientId, x.EncryptedClientSecret, x.Version }).ToListAsync();
        var audit = await db.AuditLogs.CountAsync();
        return new Snapshot(JsonSerializer.Serialize(new { tenants, projects, members, integrations, types, providers }), audit);
    });
}
