using System.Net;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.Compatibility;

/// <summary>
/// MWAP's staging script creates a project with a name, a description and a status only. Its own database: whether a
/// reference can be filled in depends on how many candidates exist.
/// </summary>
public sealed class ProjectDefaultsTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    private const string ScriptBody = """{"name":"Test Project %s","description":"Created by automated test script","status":"active"}""";

    private static Task<HttpResponseMessage> PostAsync(HttpClient client) =>
        client.SendRawAsync(HttpMethod.Post, "/api/v1/projects", ScriptBody.Replace("%s", Guid.NewGuid().ToString("N")[..8], StringComparison.Ordinal));

    [Fact]
    public async Task ScriptBody_TakesTheOnlyCandidates_AndNamesAnAmbiguousField()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var ownerId = TestUsers.NewSubject("owner");
        var owner = factory.CreateClientFor(ownerId);

        var noTenant = await (await PostAsync(owner)).AssertErrorAsync(HttpStatusCode.BadRequest, "project/invalid-input");
        Assert.True(noTenant.GetProperty("details").TryGetProperty("tenantId", out _));

        var tenantId = await owner.CreateTenantAsync();
        var typeId = (await admin.CreateProjectTypeAsync(configSchema: new { inputFolder = "string?" })).GetProperty("_id").GetString();
        await admin.CreateProjectTypeAsync(isActive: false);
        var noIntegration = await (await PostAsync(owner)).AssertErrorAsync(HttpStatusCode.BadRequest, "project/invalid-input");
        Assert.True(noIntegration.GetProperty("details").TryGetProperty("cloudIntegrationId", out _));

        var providerId = (await admin.CreateProviderAsync()).GetProperty("_id").GetString()!;
        var integrationId = await owner.CreateIntegrationAsync(tenantId, providerId);
        var response = await PostAsync(owner);
        var project = await response.ReadDataAsync(HttpStatusCode.Created);
        Assert.Equal("status", Assert.Single(response.Headers.GetValues("Mwap-Ignored-Fields")));
        Assert.Equal(tenantId, project.GetProperty("tenantId").GetString());
        Assert.Equal(typeId, project.GetProperty("projectTypeId").GetString());
        Assert.Equal(integrationId, project.GetProperty("cloudIntegrationId").GetString());
        Assert.Equal("/" + project.GetProperty("name").GetString(), project.GetProperty("folderpath").GetString());

        await admin.CreateProjectTypeAsync();
        var twoTypes = await (await PostAsync(owner)).AssertErrorAsync(HttpStatusCode.BadRequest, "project/invalid-input");
        Assert.Contains("more than one", twoTypes.GetProperty("details").GetProperty("projectTypeId").GetString(), StringComparison.Ordinal);
    }
}
