using System.Net;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Projects;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.Compatibility;

/// <summary>
/// Bodies as MWAP read them (Zod's default): undeclared and server-owned fields are dropped, never stored, and named in
/// <c>Mwap-Ignored-Fields</c>; malformed JSON, wrong types and missing required fields are still 400.
/// </summary>
public sealed class RequestBodyCompatibilityTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    private static string? IgnoredFields(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Mwap-Ignored-Fields", out var values) ? string.Join("|", values) : null;

    [Fact]
    public async Task CreateProject_WithStatusAndServerOwnedFields_Returns201_AndNamesThem()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        var response = await setup.Owner.PostJsonAsync("/api/v1/projects", new Dictionary<string, object?>
        {
            ["tenantId"] = setup.TenantId,
            ["projectTypeId"] = setup.TypeId,
            ["cloudIntegrationId"] = setup.IntegrationId,
            ["folderpath"] = "/Projects/Test",
            ["name"] = TestUsers.UniqueName("Project"),
            ["status"] = "active",
            ["createdBy"] = "auth0|mallory",
            ["_id"] = "0123456789abcdef01234567",
            ["members"] = new[] { new Dictionary<string, object> { ["userId"] = "auth0|m1", ["role"] = "MEMBER", ["addedBy"] = "auth0|mallory" } },
        });
        var project = await response.ReadDataAsync(HttpStatusCode.Created);
        Assert.Equal("status, createdBy, _id, members[0].addedBy", IgnoredFields(response));
        Assert.Equal(setup.OwnerId, project.GetProperty("createdBy").GetString());
        Assert.NotEqual("0123456789abcdef01234567", project.GetProperty("_id").GetString());
        Assert.False(project.TryGetProperty("status", out _));
        var member = await factory.WithDbAsync(db => db.Set<ProjectMember>().AsNoTracking().SingleAsync(m => m.UserId == "auth0|m1" && m.TenantId == setup.TenantId));
        Assert.Equal(setup.OwnerId, member.AddedBy);
    }

    [Fact]
    public async Task PatchProject_WithTenantIdAndMembers_DropsThem_ProjectStaysInItsTenant()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        var other = await TenantSetup.CreateAsync(factory);
        var project = await setup.CreateProjectAsync();
        var id = project.GetProperty("_id").GetString()!;
        var response = await setup.Owner.PatchJsonAsync($"/api/v1/projects/{id}", new
        {
            description = "edited",
            tenantId = other.TenantId,
            folderpath = "/elsewhere",
            members = Array.Empty<object>(),
        });
        var updated = await response.ReadDataAsync();
        Assert.Equal("tenantId, folderpath, members", IgnoredFields(response));
        Assert.Equal("edited", updated.GetProperty("description").GetString());
        var stored = await factory.WithDbAsync(db => db.Set<Project>().AsNoTracking().SingleAsync(p => p.Id == id));
        Assert.Equal(setup.TenantId, stored.TenantId);
        Assert.Equal("/Projects/Test", stored.FolderPath);
    }

    [Fact]
    public async Task CreateIntegration_AsMwapsClientSendsIt_IsPending_AndStatusIsNamed()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        var providerId = (await setup.Admin.CreateProviderAsync()).GetProperty("_id").GetString();
        var response = await setup.Owner.PostJsonAsync($"/api/v1/tenants/{setup.TenantId}/integrations", new
        {
            providerId,
            status = "active",
            metadata = new { displayName = "E2E Dropbox" },
            accessToken = "plain-text-token-must-not-be-stored",
        });
        var integration = await response.ReadDataAsync(HttpStatusCode.Created);
        Assert.Equal("status, accessToken", IgnoredFields(response));
        Assert.Equal("pending", integration.GetProperty("status").GetString());
        Assert.Equal("E2E Dropbox", integration.GetProperty("metadata").GetProperty("displayName").GetString());
        var stored = await factory.WithDbAsync(db => db.Set<CloudIntegration>().AsNoTracking().SingleAsync(i => i.Id == integration.GetProperty("_id").GetString()));
        Assert.Null(stored.EncryptedAccessToken);
    }

    [Fact]
    public async Task PatchIntegration_EchoingAGetBody_DropsSecretsAndServerFields()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        var url = $"/api/v1/tenants/{setup.TenantId}/integrations/{setup.IntegrationId}";
        var response = await setup.Owner.PatchJsonAsync(url, new
        {
            metadata = new { label = "x" },
            refreshToken = "[REDACTED]",
            accessToken = "forged",
            tokenExpiresAt = "2030-01-01T00:00:00.000Z",
            tenantId = "0123456789abcdef01234567",
        });
        await response.ReadDataAsync();
        Assert.Equal("refreshToken, accessToken, tokenExpiresAt, tenantId", IgnoredFields(response));
        var stored = await factory.WithDbAsync(db => db.Set<CloudIntegration>().AsNoTracking().SingleAsync(i => i.Id == setup.IntegrationId));
        Assert.Null(stored.EncryptedAccessToken);
        Assert.Null(stored.EncryptedRefreshToken);
        Assert.Null(stored.TokenExpiresAt);
        Assert.Equal(setup.TenantId, stored.TenantId);
    }

    [Fact]
    public async Task DeclaredFieldsOnly_SendNoHeader()
    {
        var owner = factory.CreateClientFor(TestUsers.NewSubject());
        var response = await owner.PostJsonAsync("/api/v1/tenants", new { name = TestUsers.UniqueName() });
        await response.ReadDataAsync(HttpStatusCode.Created);
        Assert.Null(IgnoredFields(response));
    }

    [Fact]
    public async Task IgnoredFields_AreNamedOnAnErrorAnswerToo()
    {
        var owner = factory.CreateClientFor(TestUsers.NewSubject());
        var response = await owner.SendRawAsync(HttpMethod.Post, "/api/v1/tenants", """{"name":"ab","plan":"gold"}""");
        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "validation/invalid-input");
        Assert.Equal("plan", IgnoredFields(response));
    }

    [Theory]
    [InlineData("""{"name": "Valid Name", "extra": 1""", "malformed JSON")]
    [InlineData("""{"name": 12345, "extra": 1}""", "wrong type of a declared field")]
    [InlineData("""{"extra": 1}""", "missing required field")]
    [InlineData("""{"name": "Valid Name", "settings": {"maxProjects": "5", "x": 1}}""", "wrong nested type")]
    public async Task StrictFailures_StayStrict(string body, string label)
    {
        var sub = TestUsers.NewSubject();
        var response = await factory.CreateClientFor(sub).SendRawAsync(HttpMethod.Post, "/api/v1/tenants", body);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, label);
        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "validation/invalid-input");
        Assert.Equal(0, await factory.WithDbAsync(db => db.Tenants.CountAsync(t => t.OwnerId == sub)));
    }

    [Fact]
    public async Task UnknownStatusOnPatchIntegration_IsStill400_NamingTheAllowedValues()
    {
        var setup = await TenantSetup.CreateAsync(factory);
        foreach (var status in new[] { "expired", "error", "pending", "paused" })
        {
            var error = await (await setup.Owner.PatchJsonAsync($"/api/v1/tenants/{setup.TenantId}/integrations/{setup.IntegrationId}", new { status }))
                .AssertErrorAsync(HttpStatusCode.BadRequest, "cloud-integration/invalid-input");
            var message = error.GetProperty("details").GetProperty("status").GetString()!;
            Assert.Contains("active, inactive, revoked", message, StringComparison.Ordinal);
        }
    }
}
