using System.Net;
using System.Net.Http.Headers;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.Api.IntegrationTests.Infrastructure.Hosting;

namespace Mwap.Api.IntegrationTests.Features.WebConsole;

/// <summary>Development with an OIDC authority configured: not development mode, so no development sign-in either.</summary>
public sealed class DevelopmentWithAuthorityFactory : MwapApiFactory
{
    protected override string EnvironmentName => "Development";
}

/// <summary>The console's development sign-in: only in the Development environment without an authority (as <c>dev-token</c>).</summary>
public sealed class ConsoleDevSignInTests(DevModeApiFactory factory) : IClassFixture<DevModeApiFactory>
{
    [Fact]
    public async Task Config_InDevelopmentMode_OffersTheDevSignInAndNoAuthority()
    {
        var data = await factory.CreateClient().GetAsync("/api/v1/console/config").ReadDataAsync();

        Assert.True(data.GetProperty("devSignIn").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, data.GetProperty("authority").ValueKind);
        Assert.Equal("https://api.mwap.local", data.GetProperty("audience").GetString());
    }

    [Fact]
    public async Task App_InDevelopmentMode_InlinesTheDevConfig_AndLeavesTheOidcScriptOut()
    {
        var response = await factory.CreateClient().GetAsync("/app/signin");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var config = ConsoleHostingTests.InlinedConfig(body);
        Assert.True(config.GetProperty("devSignIn").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, config.GetProperty("authority").ValueKind);
        Assert.DoesNotContain("AuthenticationService.js", body, StringComparison.Ordinal);
        Assert.Contains("_framework/blazor.webassembly.js", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevSignIn_MintsATokenTheServerAccepts_WithTheClaimsTyped()
    {
        var client = factory.CreateClient();
        var data = await client.PostJsonAsync("/api/v1/console/dev-sign-in",
            new { sub = "auth0|console-dev", email = "dev@example.test", name = "Console Dev" }).ReadDataAsync();
        var token = data.GetProperty("token").GetString()!;
        Assert.True(data.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(7));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/users/me/roles");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var roles = await (await client.SendAsync(request)).ReadDataAsync();

        Assert.Equal("auth0|console-dev", roles.GetProperty("userId").GetString());
        var payload = System.Text.Json.JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(token.Split('.')[1])).RootElement;
        Assert.Equal("dev@example.test", payload.GetProperty("email").GetString());
        Assert.Equal("Console Dev", payload.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("", "sub")]
    [InlineData("   ", "sub")]
    public async Task DevSignIn_WithoutASubject_Is400NamingTheField(string sub, string field)
    {
        var response = await factory.CreateClient().PostJsonAsync("/api/v1/console/dev-sign-in", new { sub, email = "x@example.test" });

        var error = await response.AssertErrorAsync(HttpStatusCode.BadRequest, "console/invalid-input");
        Assert.Equal("Required", error.GetProperty("details").GetProperty(field).GetString());
    }

    [Fact]
    public async Task DevSignIn_RefusesControlCharactersAndOverlongValues()
    {
        var client = factory.CreateClient();

        var control = await client.PostJsonAsync("/api/v1/console/dev-sign-in", new { sub = "auth0|a\u0000b" });
        var overlong = await client.PostJsonAsync("/api/v1/console/dev-sign-in", new { sub = "auth0|x", name = new string('n', 201) });

        await control.AssertErrorAsync(HttpStatusCode.BadRequest, "console/invalid-input");
        var error = await overlong.AssertErrorAsync(HttpStatusCode.BadRequest, "console/invalid-input");
        Assert.True(error.GetProperty("details").TryGetProperty("name", out _));
    }
}

public sealed class ConsoleDevSignInAbsentTests(DevelopmentWithAuthorityFactory factory) : IClassFixture<DevelopmentWithAuthorityFactory>
{
    [Fact]
    public async Task DevSignIn_InDevelopmentWithAnAuthority_DoesNotExist()
    {
        var client = factory.CreateClientFor("auth0|someone");

        var config = await client.GetAsync("/api/v1/console/config").ReadDataAsync();
        var response = await client.PostJsonAsync("/api/v1/console/dev-sign-in", new { sub = "auth0|intruder" });

        Assert.False(config.GetProperty("devSignIn").GetBoolean());
        await response.AssertErrorAsync(HttpStatusCode.NotFound, "route/not-found");
    }
}
