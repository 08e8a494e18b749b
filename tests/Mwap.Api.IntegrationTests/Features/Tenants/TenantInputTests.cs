using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.Tenants;

/// <summary>Bad input on every tenant write gets a 400 envelope (never a 500) and changes no row.</summary>
public sealed class TenantInputTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    private static readonly string TwoMegabytes = $$"""{"name":"{{new string('a', 2 * 1024 * 1024)}}"}""";

    public static TheoryData<string, string> BadBodies => new()
    {
        { "malformed JSON", """{"name": "Acme" """ },
        { "not JSON at all", "name=Acme" },
        { "array instead of object", """["Acme"]""" },
        { "name is a number", """{"name": 12345}""" },
        { "settings is a string", """{"name": "Valid Name", "settings": "yes"}""" },
        { "maxProjects is a string", """{"name": "Valid Name", "settings": {"maxProjects": "5"}}""" },
        { "allowPublicProjects is a number", """{"name": "Valid Name", "settings": {"allowPublicProjects": 1}}""" },
        { "maxProjects above 100", """{"name": "Valid Name", "settings": {"maxProjects": 101}}""" },
        { "maxProjects fractional", """{"name": "Valid Name", "settings": {"maxProjects": 2.5}}""" },
        { "name too long", $$"""{"name": "{{new string('x', 51)}}"}""" },
        { "name too short", """{"name": "ab"}""" },
        { "name only short after trimming", """{"name": "   ab   "}""" },
        { "script in name", """{"name": "<script>alert(1)</script>"}""" },
        { "angle bracket in name", """{"name": "Acme > Corp"}""" },
        { "control character in name", """{"name": "Acme\u0000Corp"}""" },
        { "two megabyte body", TwoMegabytes },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Create_WithBadBody_Returns400_AndCreatesNothing(string label, string body)
    {
        var sub = TestUsers.NewSubject();
        var response = await factory.CreateClientFor(sub).SendRawAsync(HttpMethod.Post, "/api/v1/tenants", body);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "validation/invalid-input");
        Assert.Equal(0, await factory.WithDbAsync(db => db.Tenants.CountAsync(t => t.OwnerId == sub)));
        Assert.Equal(0, await factory.WithDbAsync(db => db.AuditLogs.CountAsync(a => a.ActorId == sub)));
        Assert.NotNull(label);
    }

    [Fact]
    public async Task Create_WithUnknownAndServerOwnedFields_DropsThem_AndNamesThem()
    {
        var sub = TestUsers.NewSubject();
        var response = await factory.CreateClientFor(sub).SendRawAsync(HttpMethod.Post, "/api/v1/tenants",
            """{"name":"Valid Name %s","plan":"enterprise","ownerId":"auth0|someone-else","_id":"0123456789abcdef01234567","settings":{"maxProjects":5,"colour":"red"}}""".Replace("%s", Guid.NewGuid().ToString("N")[..8], StringComparison.Ordinal));
        var tenant = await response.ReadDataAsync(HttpStatusCode.Created);
        Assert.Equal("plan, ownerId, _id, settings.colour", Assert.Single(response.Headers.GetValues("Mwap-Ignored-Fields")));
        Assert.Equal(sub, tenant.GetProperty("ownerId").GetString());
        Assert.NotEqual("0123456789abcdef01234567", tenant.GetProperty("_id").GetString());
        Assert.Equal(5, tenant.GetProperty("settings").GetProperty("maxProjects").GetInt32());
        Assert.Equal(1, await factory.WithDbAsync(db => db.Tenants.CountAsync(t => t.OwnerId == sub)));
    }

    [Fact]
    public async Task Create_WithMissingName_Returns400WithDetails()
    {
        var response = await factory.CreateClientFor(TestUsers.NewSubject()).SendRawAsync(HttpMethod.Post, "/api/v1/tenants", "{}");
        var error = await response.AssertErrorAsync(HttpStatusCode.BadRequest, "validation/invalid-input");
        Assert.True(error.GetProperty("details").TryGetProperty("name", out _));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task Create_WithWrongContentType_Returns400(string contentType)
    {
        var sub = TestUsers.NewSubject();
        var response = await factory.CreateClientFor(sub).SendRawAsync(HttpMethod.Post, "/api/v1/tenants", """{"name":"Valid Name"}""", contentType);
        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "validation/invalid-input");
        Assert.Equal(0, await factory.WithDbAsync(db => db.Tenants.CountAsync(t => t.OwnerId == sub)));
    }

    [Fact]
    public async Task Create_WithNoBody_Returns400()
    {
        var response = await factory.CreateClientFor(TestUsers.NewSubject()).PostAsync("/api/v1/tenants", null);
        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "validation/invalid-input");
    }

    [Fact]
    public async Task Create_WithChunkedOversizedBody_Returns400()
    {
        var sub = TestUsers.NewSubject();
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(TwoMegabytes)));
        content.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var response = await factory.CreateClientFor(sub).SendAsync(request);
        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "validation/invalid-input");
        Assert.Equal(0, await factory.WithDbAsync(db => db.Tenants.CountAsync(t => t.OwnerId == sub)));
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Update_WithBadBody_Returns400_AndChangesNothing(string label, string body)
    {
        Assert.NotNull(label);
        var client = factory.CreateClientFor(TestUsers.NewSubject());
        var tenant = await client.PostJsonAsync("/api/v1/tenants", new { name = TestUsers.UniqueName() }).ReadDataAsync(HttpStatusCode.Created);
        var id = tenant.GetProperty("_id").GetString()!;
        var auditBefore = await factory.WithDbAsync(db => db.AuditLogs.CountAsync(a => a.TenantId == id));

        var response = await client.SendRawAsync(HttpMethod.Patch, $"/api/v1/tenants/{id}", body);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "validation/invalid-input");
        var after = await client.GetAsync($"/api/v1/tenants/{id}").ReadDataAsync();
        Assert.Equal(tenant.GetRawText(), after.GetRawText());
        Assert.Equal(auditBefore, await factory.WithDbAsync(db => db.AuditLogs.CountAsync(a => a.TenantId == id)));
    }

    [Theory]
    [InlineData("""{"archived": "yes"}""")]
    [InlineData("""{"settings": {"retentionDays": 0}}""")]
    [InlineData("""{"settings": {"features": {"cloudIntegrations": "on"}}}""")]
    [InlineData("""{"description": "<b>bold</b>"}""")]
    public async Task Update_WithPatchSpecificBadBody_Returns400(string body)
    {
        var client = factory.CreateClientFor(TestUsers.NewSubject());
        var tenant = await client.PostJsonAsync("/api/v1/tenants", new { name = TestUsers.UniqueName() }).ReadDataAsync(HttpStatusCode.Created);
        var id = tenant.GetProperty("_id").GetString();
        await (await client.SendRawAsync(HttpMethod.Patch, $"/api/v1/tenants/{id}", body)).AssertErrorAsync(HttpStatusCode.BadRequest, "validation/invalid-input");
        Assert.Equal(tenant.GetRawText(), (await client.GetAsync($"/api/v1/tenants/{id}").ReadDataAsync()).GetRawText());
    }

    [Fact]
    public async Task ErrorResponses_CarryNoInternalDetail()
    {
        var response = await factory.CreateClientFor(TestUsers.NewSubject()).SendRawAsync(HttpMethod.Post, "/api/v1/tenants", """{"name": 1}""");
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("System.", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Mwap.Api", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }
}
