using System.Net;
using System.Text.Json;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;

namespace Mwap.Api.IntegrationTests.Features.Compatibility;

/// <summary>
/// Every request MWAP's React client sends (shared/spec/mwap-client-calls.md), in the order a user makes them, with the
/// client's own bodies (a deployment maps the client's <c>/api/...</c> to <c>/api/v1/...</c>). Each step checks the status
/// the client expects and the fields it reads.
/// </summary>
public sealed class MwapClientCallsTests(ConnectFlowApiFactory factory) : IClassFixture<ConnectFlowApiFactory>
{
    private const string Api = "/api/v1";

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string? json = null) =>
        json is null ? client.SendAsync(new HttpRequestMessage(method, Api + path)) : client.SendRawAsync(method, Api + path, json);

    [Fact]
    public async Task TheClientsCalls_GetTheAnswersTheClientHandles()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var userId = TestUsers.NewSubject("owner");
        var user = factory.CreateClientFor(userId);

        var roles = await Send(user, HttpMethod.Get, "/users/me/roles").ReadDataAsync();
        Assert.Equal(userId, roles.GetProperty("userId").GetString());
        Assert.False(roles.GetProperty("isSuperAdmin").GetBoolean());
        Assert.False(roles.GetProperty("isTenantOwner").GetBoolean());
        Assert.Equal(JsonValueKind.Null, roles.GetProperty("tenantId").ValueKind);
        Assert.Equal(JsonValueKind.Array, roles.GetProperty("projectRoles").ValueKind);

        await (await Send(user, HttpMethod.Get, "/tenants")).AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
        Assert.Equal(JsonValueKind.Array, (await Send(admin, HttpMethod.Get, "/tenants").ReadDataAsync()).ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(user, HttpMethod.Get, "/tenants/me")).StatusCode); // the client shows "Create Tenant"

        var name = TestUsers.UniqueName("E2E Tenant");
        var tenant = await Send(user, HttpMethod.Post, "/tenants", $$$"""{"name":"{{{name}}}","settings":{"allowPublicProjects":false,"maxProjects":10}}""")
            .ReadDataAsync(HttpStatusCode.Created);
        var tenantId = tenant.GetProperty("_id").GetString()!;
        Assert.Equal(tenantId, (await Send(user, HttpMethod.Get, "/tenants/me").ReadDataAsync()).GetProperty("_id").GetString());
        Assert.Equal(name, (await Send(user, HttpMethod.Get, $"/tenants/{tenantId}").ReadDataAsync()).GetProperty("name").GetString());
        var renamed = await Send(user, HttpMethod.Patch, $"/tenants/{tenantId}", $$"""{"name":"{{name}} Renamed"}""").ReadDataAsync();
        Assert.Equal($"{name} Renamed", renamed.GetProperty("name").GetString());
        var settings = (await Send(user, HttpMethod.Patch, $"/tenants/{tenantId}", """{"settings":{"allowPublicProjects":false,"maxProjects":42}}""").ReadDataAsync())
            .GetProperty("settings");
        Assert.Equal(42, settings.GetProperty("maxProjects").GetInt32());
        Assert.Equal(tenant.GetProperty("settings").GetProperty("retentionDays").GetInt32(), settings.GetProperty("retentionDays").GetInt32());
        Assert.True(settings.GetProperty("features").GetProperty("cloudIntegrations").GetBoolean(), "other settings kept");
        Assert.Equal(JsonValueKind.Array, (await Send(user, HttpMethod.Get, "/projects").ReadDataAsync()).ValueKind);

        await ProjectTypesAsync(admin, user);
        await CloudProvidersAsync(admin);
        await IntegrationsAsync(user, tenantId);

        Assert.True((await Send(user, HttpMethod.Patch, $"/tenants/{tenantId}", """{"archived":true}""").ReadDataAsync()).GetProperty("archived").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await Send(admin, HttpMethod.Delete, $"/tenants/{tenantId}")).StatusCode); // superadmin only, as in MWAP
        Assert.Equal(HttpStatusCode.NotFound, (await Send(user, HttpMethod.Get, "/tenants/me")).StatusCode);
    }

    private static async Task ProjectTypesAsync(HttpClient admin, HttpClient owner)
    {
        Assert.Equal(JsonValueKind.Array, (await Send(admin, HttpMethod.Get, "/project-types").ReadDataAsync()).ValueKind);
        var schema = """{"inputFolder":"string","outputFolder":"string"}""";
        var created = await Send(admin, HttpMethod.Post, "/project-types",
            $$"""{"name":"{{TestUsers.UniqueName("E2E Type")}}","description":"created by e2e","isActive":true,"configSchema":{{schema}}}""")
            .ReadDataAsync(HttpStatusCode.Created);
        var id = created.GetProperty("_id").GetString();
        var read = await Send(owner, HttpMethod.Get, $"/project-types/{id}").ReadDataAsync();
        Assert.Equal(schema, read.GetProperty("configSchema").GetRawText()); // the edit form reads inputFolder/outputFolder
        var edited = await Send(admin, HttpMethod.Patch, $"/project-types/{id}", """{"description":"edited"}""").ReadDataAsync();
        Assert.Equal("edited", edited.GetProperty("description").GetString());
        Assert.Equal(schema, edited.GetProperty("configSchema").GetRawText());
        Assert.Equal(HttpStatusCode.NoContent, (await Send(admin, HttpMethod.Delete, $"/project-types/{id}")).StatusCode);
    }

    private static async Task CloudProvidersAsync(HttpClient admin)
    {
        var slug = "dropbox-e2e-" + Guid.NewGuid().ToString("N")[..6];
        var form = $$"""
            "name":"{{TestUsers.UniqueName("Dropbox")}}","slug":"{{slug}}","scopes":["files.content.read","files.content.write","files.metadata.read"],
            "authUrl":"https://www.dropbox.com/oauth2/authorize","tokenUrl":"https://api.dropboxapi.com/oauth2/token","clientId":"e2e-client",
            "grantType":"authorization_code","tokenMethod":"POST","metadata":{"apiBaseUrl":"https://api.dropboxapi.com/2"}
            """;
        var created = await Send(admin, HttpMethod.Post, "/cloud-providers", "{" + form + ""","clientSecret":"e2e-secret-value"}""")
            .ReadDataAsync(HttpStatusCode.Created);
        var id = created.GetProperty("_id").GetString();
        var listed = await Send(admin, HttpMethod.Get, "/cloud-providers");
        var listedBody = await listed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.DoesNotContain("e2e-secret-value", listedBody, StringComparison.Ordinal);
        Assert.Equal("[REDACTED]", (await Send(admin, HttpMethod.Get, $"/cloud-providers/{id}").ReadDataAsync()).GetProperty("clientSecret").GetString());

        // The edit form sends everything again, without the secret, then once more with the redacted placeholder.
        await Send(admin, HttpMethod.Patch, $"/cloud-providers/{id}", "{" + form + "}").ReadDataAsync();
        await Send(admin, HttpMethod.Patch, $"/cloud-providers/{id}", "{" + form + ""","clientSecret":"[REDACTED]"}""").ReadDataAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await Send(admin, HttpMethod.Delete, $"/cloud-providers/{id}")).StatusCode);
    }

    private async Task IntegrationsAsync(HttpClient owner, string tenantId)
    {
        var providerId = factory.ProviderIds[FakeProvider.Dropbox];
        var created = await Send(owner, HttpMethod.Post, $"/tenants/{tenantId}/integrations",
            $$$"""{"providerId":"{{{providerId}}}","status":"active","metadata":{"displayName":"E2E Dropbox"}}""").ReadDataAsync(HttpStatusCode.Created);
        Assert.Equal("pending", created.GetProperty("status").GetString());
        var integrationId = created.GetProperty("_id").GetString()!;
        var url = $"/tenants/{tenantId}/integrations/{integrationId}";

        await (await Send(owner, HttpMethod.Patch, url, """{"status":"active"}""")).AssertErrorAsync(HttpStatusCode.Conflict, "cloud-integration/not-connected");

        // The client's integration page never calls /initiate (a client defect); the user connects through the flow.
        await new Connection(owner, "", tenantId, integrationId, FakeProvider.Dropbox).ConnectAsync(factory);

        var listed = (await Send(owner, HttpMethod.Get, $"/tenants/{tenantId}/integrations").ReadDataAsync()).EnumerateArray().Single();
        Assert.Equal("Dropbox", listed.GetProperty("provider").GetProperty("name").GetString());
        Assert.Equal("dropbox", listed.GetProperty("provider").GetProperty("slug").GetString());
        Assert.Equal("active", listed.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, listed.GetProperty("tokenExpiresAt").ValueKind);
        var scopes = listed.GetProperty("scopesGranted").GetRawText();
        Assert.NotEqual("[]", scopes);

        Assert.Equal("inactive", (await Send(owner, HttpMethod.Patch, url, """{"status":"revoked"}""").ReadDataAsync()).GetProperty("status").GetString());
        Assert.Equal("active", (await Send(owner, HttpMethod.Patch, url, """{"status":"active"}""").ReadDataAsync()).GetProperty("status").GetString());

        var refreshed = await Send(owner, HttpMethod.Post, $"/oauth/tenants/{tenantId}/integrations/{integrationId}/refresh").ReadDataAsync();
        Assert.Equal(scopes, refreshed.GetProperty("scopesGranted").GetRawText());

        Assert.Equal(HttpStatusCode.NoContent, (await Send(owner, HttpMethod.Delete, url)).StatusCode);
    }
}
