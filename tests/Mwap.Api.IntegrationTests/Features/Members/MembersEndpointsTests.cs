using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Projects;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.Members;

/// <summary>Member routes #35–#39 (spec §6.6.6–§6.6.10): every membership rule, its code, and its behaviour under concurrency.</summary>
public sealed class MembersEndpointsTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    private const string Denied = "auth/insufficient-permissions";

    private Task<ProjectScenario> ScenarioAsync() => ProjectScenario.CreateAsync(factory);

    /// <summary>The project's only explicit OWNER is not the tenant owner (who holds the implicit OWNER role).</summary>
    private Task<ProjectScenario> SeparateOwnerScenarioAsync() => ProjectScenario.CreateAsync(factory, tenantOwnerStaysMember: false);

    private Task<int> MemberRowsAsync(string projectId) =>
        factory.WithDbAsync(db => db.Set<ProjectMember>().CountAsync(m => m.ProjectId == projectId));

    private Task<int> AuditRowsAsync() => factory.WithDbAsync(db => db.AuditLogs.CountAsync());

    [Theory]
    [InlineData("MEMBER")]
    [InlineData("DEPUTY")]
    public async Task Add_ByDeputy_Returns204_AndMemberIsListedWithRole(string role)
    {
        var s = await ScenarioAsync();
        var newcomer = TestUsers.NewSubject("newcomer");

        var response = await s.Deputy.Client.PostJsonAsync(s.MembersUrl, new { userId = newcomer, role });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var members = await s.MembersAsync();
        Assert.Equal(4, members.Count);
        Assert.Equal(role, members[newcomer]);
    }

    [Fact]
    public async Task Add_ByDeputy_GrantingOwner_Returns403ProjectUnauthorized_AndNothingChanges()
    {
        var s = await ScenarioAsync();
        var audit = await AuditRowsAsync();

        var response = await s.Deputy.Client.PostJsonAsync(s.MembersUrl, new { userId = TestUsers.NewSubject(), role = "OWNER" });

        var error = await response.AssertErrorAsync(HttpStatusCode.Forbidden, "project/unauthorized");
        Assert.Equal("Only project owners can grant the OWNER role", error.GetProperty("message").GetString());
        Assert.Equal(3, (await s.MembersAsync()).Count);
        Assert.Equal(audit, await AuditRowsAsync());
    }

    [Fact]
    public async Task Add_ByOwnerOrSuperAdmin_GrantingOwner_Returns204()
    {
        var s = await ScenarioAsync();
        var byOwner = TestUsers.NewSubject("co-owner");
        var byAdmin = TestUsers.NewSubject("co-owner");

        await s.AddMemberAsync(s.ProjectOwner.Client, byOwner, "OWNER");
        await s.AddMemberAsync(s.Admin.Client, byAdmin, "OWNER");

        var members = await s.MembersAsync();
        Assert.Equal("OWNER", members[byOwner]);
        Assert.Equal("OWNER", members[byAdmin]);
    }

    [Theory]
    [InlineData("MEMBER")]
    [InlineData("OWNER")]
    public async Task Add_ExistingMember_Returns409MemberAlreadyExists_AndKeepsTheirRole(string role)
    {
        var s = await ScenarioAsync();
        var audit = await AuditRowsAsync();

        var response = await s.ProjectOwner.Client.PostJsonAsync(s.MembersUrl, new { userId = s.Deputy.Subject, role });

        await response.AssertErrorAsync(HttpStatusCode.Conflict, "project/member-already-exists");
        var members = await s.MembersAsync();
        Assert.Equal(3, members.Count);
        Assert.Equal("DEPUTY", members[s.Deputy.Subject]);
        Assert.Equal(audit, await AuditRowsAsync());
    }

    [Fact]
    public async Task Add_BeyondTenMembersIncludingOwner_Returns400MaxMembersReached()
    {
        var s = await ScenarioAsync();
        for (var i = 0; i < 7; i++)
        {
            await s.AddMemberAsync(s.ProjectOwner.Client, TestUsers.NewSubject($"m{i}"), "MEMBER");
        }

        Assert.Equal(10, (await s.MembersAsync()).Count);
        var audit = await AuditRowsAsync();

        var response = await s.ProjectOwner.Client.PostJsonAsync(s.MembersUrl, new { userId = TestUsers.NewSubject("eleventh"), role = "MEMBER" });

        var error = await response.AssertErrorAsync(HttpStatusCode.BadRequest, "project/max-members-reached");
        Assert.Equal("Maximum number of members reached (10)", error.GetProperty("message").GetString());
        Assert.Equal(10, await MemberRowsAsync(s.ProjectId));
        Assert.Equal(audit, await AuditRowsAsync());
        await (await s.Admin.Client.PostJsonAsync(s.MembersUrl, new { userId = TestUsers.NewSubject("admin-pick"), role = "OWNER" }))
            .AssertErrorAsync(HttpStatusCode.BadRequest, "project/max-members-reached");
    }

    [Fact]
    public async Task CreateProject_WithMoreThanTenMembersIncludingCreator_Returns400MaxMembersReached()
    {
        var s = await ScenarioAsync();
        var nine = Enumerable.Range(0, 9).Select(i => (object)new { userId = TestUsers.NewSubject($"m{i}"), role = "MEMBER" }).ToArray();

        var full = await s.CreateProjectAsync(s.TenantOwner.Client, nine);
        Assert.Equal(10, full.GetProperty("members").GetArrayLength());

        var ten = nine.Append(new { userId = TestUsers.NewSubject("tenth"), role = "MEMBER" }).ToArray();
        await (await s.TenantOwner.Client.PostJsonAsync("/api/v1/projects", s.ProjectBody(ten)))
            .AssertErrorAsync(HttpStatusCode.BadRequest, "project/max-members-reached");
    }

    [Theory]
    [InlineData("""{"userId":"auth0|x","role":"ADMIN"}""")]
    [InlineData("""{"userId":"auth0|x","role":"member"}""")]
    [InlineData("""{"userId":"auth0|x"}""")]
    [InlineData("""{"role":"MEMBER"}""")]
    [InlineData("""{"userId":"","role":"MEMBER"}""")]
    [InlineData("""{"userId":"auth0|x","role":3}""")]
    [InlineData("""{"userId":"auth0|x","role":"MEMBER""")]
    public async Task Add_WithInvalidBody_Returns400InvalidInput(string body)
    {
        var s = await ScenarioAsync();
        var response = await s.ProjectOwner.Client.SendRawAsync(HttpMethod.Post, s.MembersUrl, body);
        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "project/invalid-input");
        Assert.Equal(3, await MemberRowsAsync(s.ProjectId));
    }

    [Fact]
    public async Task Add_WithAProjectIdInTheBody_IgnoresIt_TheRouteNamesTheProject()
    {
        var s = await ScenarioAsync();
        var response = await s.ProjectOwner.Client.SendRawAsync(HttpMethod.Post, s.MembersUrl,
            """{"userId":"auth0|body-project","role":"MEMBER","projectId":"0123456789abcdef01234567"}""");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("projectId", Assert.Single(response.Headers.GetValues("Mwap-Ignored-Fields")));
        Assert.Equal(4, await MemberRowsAsync(s.ProjectId));
    }

    [Fact]
    public async Task Remove_LastOwner_Returns400OwnerRequired_ForOwnerAndSuperAdmin()
    {
        var s = await SeparateOwnerScenarioAsync();
        var audit = await AuditRowsAsync();

        var self = await s.ProjectOwner.Client.DeleteAsync(s.MemberUrl(s.ProjectOwner.Subject));
        var byAdmin = await s.Admin.Client.DeleteAsync(s.MemberUrl(s.ProjectOwner.Subject));

        var error = await self.AssertErrorAsync(HttpStatusCode.BadRequest, "project/owner-required");
        Assert.Equal("Cannot remove the last owner from the project", error.GetProperty("message").GetString());
        await byAdmin.AssertErrorAsync(HttpStatusCode.BadRequest, "project/owner-required");
        Assert.Equal("OWNER", (await s.MembersAsync())[s.ProjectOwner.Subject]);
        Assert.Equal(audit, await AuditRowsAsync());
    }

    [Theory]
    [InlineData("DEPUTY")]
    [InlineData("MEMBER")]
    public async Task Demote_LastOwner_Returns400OwnerRequired(string role)
    {
        var s = await SeparateOwnerScenarioAsync();

        var self = await s.ProjectOwner.Client.PatchJsonAsync(s.MemberUrl(s.ProjectOwner.Subject), new { role });
        var byAdmin = await s.Admin.Client.PatchJsonAsync(s.MemberUrl(s.ProjectOwner.Subject), new { role });

        await self.AssertErrorAsync(HttpStatusCode.BadRequest, "project/owner-required");
        await byAdmin.AssertErrorAsync(HttpStatusCode.BadRequest, "project/owner-required");
        Assert.Equal("OWNER", (await s.MembersAsync())[s.ProjectOwner.Subject]);
    }

    [Fact]
    public async Task Demote_Self_WhenAnotherOwnerExists_Returns204_AndOwnerRightsEndOnTheNextRequest()
    {
        var s = await SeparateOwnerScenarioAsync();
        var second = ProjectScenario.NewActor(factory, "second-owner");
        await s.AddMemberAsync(s.ProjectOwner.Client, second.Subject, "OWNER");

        var response = await s.ProjectOwner.Client.PatchJsonAsync(s.MemberUrl(s.ProjectOwner.Subject), new { role = "DEPUTY" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var mine = await s.ProjectOwner.Client.GetAsync($"{s.MembersUrl}/me").ReadDataAsync();
        Assert.Equal("DEPUTY", mine.GetProperty("role").GetString());
        var refused = await s.ProjectOwner.Client.PatchJsonAsync(s.MemberUrl(second.Subject), new { role = "MEMBER" });
        var error = await refused.AssertErrorAsync(HttpStatusCode.Forbidden, Denied);
        Assert.Equal("OWNER access required", error.GetProperty("message").GetString());
        await (await s.ProjectOwner.Client.DeleteAsync(s.ProjectUrl)).AssertErrorAsync(HttpStatusCode.Forbidden, Denied);
        Assert.Equal("OWNER", (await s.MembersAsync())[second.Subject]);
        await (await second.Client.PatchJsonAsync(s.MemberUrl(second.Subject), new { role = "MEMBER" }))
            .AssertErrorAsync(HttpStatusCode.BadRequest, "project/owner-required");
    }

    [Fact]
    public async Task Remove_Owner_WhenAnotherOwnerExists_Returns204()
    {
        var s = await ScenarioAsync();
        var second = TestUsers.NewSubject("second-owner");
        await s.AddMemberAsync(s.ProjectOwner.Client, second, "OWNER");

        var response = await s.ProjectOwner.Client.DeleteAsync(s.MemberUrl(second));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False((await s.MembersAsync()).ContainsKey(second));
    }

    [Fact]
    public async Task UpdateOrRemove_UnknownMember_Returns404MemberNotFound()
    {
        var s = await ScenarioAsync();
        var unknown = TestUsers.NewSubject("nobody");

        var update = await s.ProjectOwner.Client.PatchJsonAsync(s.MemberUrl(unknown), new { role = "MEMBER" });
        var remove = await s.ProjectOwner.Client.DeleteAsync(s.MemberUrl(unknown));

        var error = await update.AssertErrorAsync(HttpStatusCode.NotFound, "project/member-not-found");
        Assert.Equal("Member not found in project", error.GetProperty("message").GetString());
        await remove.AssertErrorAsync(HttpStatusCode.NotFound, "project/member-not-found");
        await (await s.Admin.Client.DeleteAsync(s.MemberUrl(unknown))).AssertErrorAsync(HttpStatusCode.NotFound, "project/member-not-found");
    }

    [Fact]
    public async Task UpdateRole_ByOwner_Returns204_AndChangesOnlyThatMember()
    {
        var s = await ScenarioAsync();

        var response = await s.ProjectOwner.Client.PatchJsonAsync(s.MemberUrl(s.Member.Subject), new { role = "DEPUTY" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var members = await s.MembersAsync();
        Assert.Equal(
            new Dictionary<string, string> { [s.ProjectOwner.Subject] = "OWNER", [s.Deputy.Subject] = "DEPUTY", [s.Member.Subject] = "DEPUTY" },
            members);
    }

    [Fact]
    public async Task UpdateRole_WithInvalidRole_Returns400InvalidInput()
    {
        var s = await ScenarioAsync();
        await (await s.ProjectOwner.Client.PatchJsonAsync(s.MemberUrl(s.Member.Subject), new { role = "SUPERADMIN" }))
            .AssertErrorAsync(HttpStatusCode.BadRequest, "project/invalid-input");
        await (await s.ProjectOwner.Client.PatchJsonAsync(s.MemberUrl(s.Member.Subject), new { }))
            .AssertErrorAsync(HttpStatusCode.BadRequest, "project/invalid-input");
        Assert.Equal("MEMBER", (await s.MembersAsync())[s.Member.Subject]);
    }

    [Fact]
    public async Task GetMine_ReturnsExactlyUserIdAndRole()
    {
        var s = await ScenarioAsync();
        foreach (var (actor, role) in new[] { (s.ProjectOwner, "OWNER"), (s.Deputy, "DEPUTY"), (s.Member, "MEMBER") })
        {
            var mine = await actor.Client.GetAsync($"{s.MembersUrl}/me").ReadDataAsync();
            Assert.Equal(["userId", "role"], mine.EnumerateObject().Select(p => p.Name));
            Assert.Equal(actor.Subject, mine.GetProperty("userId").GetString());
            Assert.Equal(role, mine.GetProperty("role").GetString());
        }
    }

    [Fact]
    public async Task GetMine_ForNonMemberOrMissingProject_Returns404ProjectNotFound()
    {
        var s = await ScenarioAsync();
        await (await s.Stranger.Client.GetAsync($"{s.MembersUrl}/me")).AssertErrorAsync(HttpStatusCode.NotFound, "project/not-found");
        await (await s.Member.Client.GetAsync("/api/v1/projects/0123456789abcdef01234567/members/me"))
            .AssertErrorAsync(HttpStatusCode.NotFound, "project/not-found");
    }

    [Fact]
    public async Task MissingProject_SuperAdminPassesTheGuard_AndGets404ProjectNotFoundOnEveryMemberRoute()
    {
        var s = await ScenarioAsync();
        var missing = "0123456789abcdef01234567";
        var members = $"/api/v1/projects/{missing}/members";
        var admin = s.Admin.Client;

        await (await admin.GetAsync(members)).AssertErrorAsync(HttpStatusCode.NotFound, "project/not-found");
        await (await admin.GetAsync($"{members}/me")).AssertErrorAsync(HttpStatusCode.NotFound, "project/not-found");
        await (await admin.PostJsonAsync(members, new { userId = TestUsers.NewSubject(), role = "MEMBER" })).AssertErrorAsync(HttpStatusCode.NotFound, "project/not-found");
        await (await admin.PatchJsonAsync(ProjectScenario.MemberUrl(missing, s.Member.Subject), new { role = "DEPUTY" })).AssertErrorAsync(HttpStatusCode.NotFound, "project/not-found");
        await (await admin.DeleteAsync(ProjectScenario.MemberUrl(missing, s.Member.Subject))).AssertErrorAsync(HttpStatusCode.NotFound, "project/not-found");
        Assert.Equal(0, await MemberRowsAsync(missing));
    }

    [Fact]
    public async Task List_ReturnsUserIdAndRole_OwnersFirstThenDeputiesThenMembers()
    {
        var s = await ScenarioAsync();
        var lateOwner = TestUsers.NewSubject("late-owner");
        var lateDeputy = TestUsers.NewSubject("late-deputy");
        await s.AddMemberAsync(s.ProjectOwner.Client, lateOwner, "OWNER");
        await s.AddMemberAsync(s.ProjectOwner.Client, lateDeputy, "DEPUTY");

        var list = await s.Member.Client.GetAsync(s.MembersUrl).ReadDataAsync();

        Assert.All(list.EnumerateArray(), m => Assert.Equal(["userId", "role"], m.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(
            ["OWNER", "OWNER", "DEPUTY", "DEPUTY", "MEMBER"],
            list.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(
            [s.ProjectOwner.Subject, lateOwner, s.Deputy.Subject, lateDeputy, s.Member.Subject],
            list.EnumerateArray().Select(m => m.GetProperty("userId").GetString()));
    }

    [Fact]
    public async Task RoleChanges_AreVisibleToTheAffectedUser_OnTheVeryNextRequest()
    {
        var s = await ScenarioAsync();
        var newcomer = ProjectScenario.NewActor(factory, "newcomer");
        Assert.Equal(0, (await RolesAsync(newcomer)).GetProperty("projectRoles").GetArrayLength());
        await (await newcomer.Client.GetAsync(s.ProjectUrl)).AssertErrorAsync(HttpStatusCode.NotFound, "project/not-found");
        await (await newcomer.Client.GetAsync(s.MembersUrl)).AssertErrorAsync(HttpStatusCode.NotFound, "project/not-found");

        await s.AddMemberAsync(s.Deputy.Client, newcomer.Subject, "MEMBER");

        Assert.Equal(new[] { (s.ProjectId, "MEMBER") }, ProjectRolesOf(await RolesAsync(newcomer)));
        Assert.Equal(s.ProjectId, ProjectScenario.Id(await newcomer.Client.GetAsync(s.ProjectUrl).ReadDataAsync()));
        Assert.Equal(3 + 1, (await newcomer.Client.GetAsync(s.MembersUrl).ReadDataAsync()).GetArrayLength());
        Assert.Contains(s.ProjectId, (await newcomer.Client.GetAsync("/api/v1/projects").ReadDataAsync()).EnumerateArray().Select(ProjectScenario.Id));
        var notYet = await newcomer.Client.PatchJsonAsync(s.ProjectUrl, new { description = "by newcomer" });
        Assert.Equal("DEPUTY access required", (await notYet.AssertErrorAsync(HttpStatusCode.Forbidden, Denied)).GetProperty("message").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await s.ProjectOwner.Client.PatchJsonAsync(s.MemberUrl(newcomer.Subject), new { role = "DEPUTY" })).StatusCode);

        Assert.Equal(new[] { (s.ProjectId, "DEPUTY") }, ProjectRolesOf(await RolesAsync(newcomer)));
        var updated = await newcomer.Client.PatchJsonAsync(s.ProjectUrl, new { description = "by newcomer" }).ReadDataAsync();
        Assert.Equal("by newcomer", updated.GetProperty("description").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await s.ProjectOwner.Client.DeleteAsync(s.MemberUrl(newcomer.Subject))).StatusCode);

        await (await newcomer.Client.GetAsync(s.ProjectUrl)).AssertErrorAsync(HttpStatusCode.NotFound, "project/not-found");
        var gone = await (await newcomer.Client.GetAsync(s.MembersUrl)).AssertErrorAsync(HttpStatusCode.NotFound, "project/not-found");
        Assert.Equal("Project not found or user not a member", gone.GetProperty("message").GetString());
        await (await newcomer.Client.PatchJsonAsync(s.ProjectUrl, new { description = "again" })).AssertErrorAsync(HttpStatusCode.NotFound, "project/not-found");
        await (await newcomer.Client.GetAsync($"{s.MembersUrl}/me")).AssertErrorAsync(HttpStatusCode.NotFound, "project/not-found");
        Assert.Equal(0, (await RolesAsync(newcomer)).GetProperty("projectRoles").GetArrayLength());
        Assert.DoesNotContain(s.ProjectId, (await newcomer.Client.GetAsync("/api/v1/projects").ReadDataAsync()).EnumerateArray().Select(ProjectScenario.Id));
    }

    [Fact]
    public async Task DeleteProject_EndsEveryMembership_OnTheVeryNextRequest()
    {
        var s = await ScenarioAsync();
        Assert.Equal(new[] { (s.ProjectId, "MEMBER") }, ProjectRolesOf(await RolesAsync(s.Member)));

        Assert.Equal(HttpStatusCode.NoContent, (await s.ProjectOwner.Client.DeleteAsync(s.ProjectUrl)).StatusCode);

        Assert.Empty(ProjectRolesOf(await RolesAsync(s.Member)));
        Assert.Empty(ProjectRolesOf(await RolesAsync(s.Deputy)));
        await (await s.Member.Client.GetAsync(s.ProjectUrl)).AssertErrorAsync(HttpStatusCode.NotFound, "project/not-found");
        await (await s.Deputy.Client.GetAsync($"{s.MembersUrl}/me")).AssertErrorAsync(HttpStatusCode.NotFound, "project/not-found");
        Assert.Equal(0, await MemberRowsAsync(s.ProjectId));
    }

    [Fact]
    public async Task ConcurrentAdds_NeverPassTheCap_AndEachGets204Or400MaxMembersReached()
    {
        var s = await ScenarioAsync();
        var users = Enumerable.Range(0, 12).Select(i => TestUsers.NewSubject($"rush{i}")).ToList();
        var clients = users.Select(_ => factory.CreateClientFor(s.ProjectOwner.Subject)).ToList();

        var responses = await Task.WhenAll(users.Select((u, i) => clients[i].PostJsonAsync(s.MembersUrl, new { userId = u, role = "MEMBER" })));

        var added = new List<string>();
        for (var i = 0; i < responses.Length; i++)
        {
            if (responses[i].StatusCode == HttpStatusCode.NoContent)
            {
                added.Add(users[i]);
            }
            else
            {
                await responses[i].AssertErrorAsync(HttpStatusCode.BadRequest, "project/max-members-reached");
            }
        }

        Assert.Equal(7, added.Count);
        Assert.Equal(10, await MemberRowsAsync(s.ProjectId));
        var members = await s.MembersAsync();
        Assert.Equal(10, members.Count);
        Assert.All(added, u => Assert.Equal("MEMBER", members[u]));
        var audited = await factory.WithDbAsync(db => db.AuditLogs.Where(a => a.Action == "project.member.add" && users.Contains(a.TargetId!))
            .Select(a => a.TargetId!).ToListAsync());
        Assert.Equal(added.Order(StringComparer.Ordinal), audited.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ConcurrentDemotionsOfTheTwoOwners_LeaveExactlyOneOwner()
    {
        var s = await ScenarioAsync();
        for (var round = 0; round < 3; round++)
        {
            var (projectId, a, b) = await TwoOwnersAsync(s);

            var responses = await Task.WhenAll(new[] { a.Subject, b.Subject }.Select(o =>
                factory.CreateClientFor(s.Admin.Subject).PatchJsonAsync(ProjectScenario.MemberUrl(projectId, o), new { role = "DEPUTY" })));

            await AssertOneWinnerAsync(responses);
            Assert.Single(await s.MembersAsync(projectId), m => m.Value == "OWNER");
        }
    }

    [Fact]
    public async Task OwnersDemotingEachOtherConcurrently_LeaveExactlyOneOwner()
    {
        var s = await ScenarioAsync();
        for (var round = 0; round < 3; round++)
        {
            var (projectId, a, b) = await TwoOwnersAsync(s);

            var responses = await Task.WhenAll(
                a.Client.PatchJsonAsync(ProjectScenario.MemberUrl(projectId, b.Subject), new { role = "DEPUTY" }),
                b.Client.PatchJsonAsync(ProjectScenario.MemberUrl(projectId, a.Subject), new { role = "DEPUTY" }));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.NoContent);
            var loser = Assert.Single(responses, r => r.StatusCode != HttpStatusCode.NoContent);
            // The loser either lost its OWNER role before its guard ran (403) or passed the guard and hit the rule (400).
            Assert.Contains(loser.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Forbidden });
            await loser.AssertErrorAsync(loser.StatusCode, loser.StatusCode == HttpStatusCode.BadRequest ? "project/owner-required" : Denied);
            Assert.Single(await s.MembersAsync(projectId), m => m.Value == "OWNER");
        }
    }

    [Fact]
    public async Task ConcurrentRemovalsOfTheTwoOwners_LeaveExactlyOneOwner()
    {
        var s = await ScenarioAsync();
        var (projectId, a, b) = await TwoOwnersAsync(s);

        var responses = await Task.WhenAll(new[] { a.Subject, b.Subject }.Select(o =>
            factory.CreateClientFor(s.Admin.Subject).DeleteAsync(ProjectScenario.MemberUrl(projectId, o))));

        await AssertOneWinnerAsync(responses);
        var owner = Assert.Single(await s.MembersAsync(projectId));
        Assert.Equal("OWNER", owner.Value);
    }

    /// <summary>A new project whose explicit OWNERs are exactly two users other than the tenant owner (whose row is dropped).</summary>
    private async Task<(string ProjectId, TestActor A, TestActor B)> TwoOwnersAsync(ProjectScenario s)
    {
        var a = ProjectScenario.NewActor(factory, "owner-a");
        var b = ProjectScenario.NewActor(factory, "owner-b");
        var projectId = ProjectScenario.Id(await s.CreateProjectAsync(s.TenantOwner.Client,
            [new { userId = a.Subject, role = "OWNER" }, new { userId = b.Subject, role = "OWNER" }]));
        await s.DropTenantOwnersMemberRowAsync(projectId);
        return (projectId, a, b);
    }

    private static async Task AssertOneWinnerAsync(HttpResponseMessage[] responses)
    {
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.NoContent);
        await Assert.Single(responses, r => r.StatusCode != HttpStatusCode.NoContent).AssertErrorAsync(HttpStatusCode.BadRequest, "project/owner-required");
    }

    private static Task<JsonElement> RolesAsync(TestActor actor) => actor.Client.GetAsync("/api/v1/users/me/roles").ReadDataAsync();

    private static List<(string, string)> ProjectRolesOf(JsonElement roles) =>
        [.. roles.GetProperty("projectRoles").EnumerateArray().Select(r => (r.GetProperty("projectId").GetString()!, r.GetProperty("role").GetString()!))];
}
