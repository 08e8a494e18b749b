using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.WebConsole;

public sealed class ConsoleApiFactory : MwapApiFactory
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } =
        new Dictionary<string, string?> { ["Console:ClientId"] = "console-client", ["Console:Scopes"] = "openid profile  offline_access" };
}

public sealed class ConsoleDisabledApiFactory : MwapApiFactory
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?> { ["Console:Enabled"] = "false" };
}

/// <summary>The console at <c>/app</c> and its configuration endpoint, on a server with an OIDC authority (not Development).</summary>
public sealed class ConsoleHostingTests(ConsoleApiFactory factory) : IClassFixture<ConsoleApiFactory>
{
    private HttpClient Anonymous() => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Fact]
    public async Task App_ServesIndexHtml_WithItsBaseAndAPolicyThatAllowsWebAssembly()
    {
        var response = await Anonymous().GetAsync("/app/");

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<base href=\"/app/\" />", body, StringComparison.Ordinal);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("'wasm-unsafe-eval'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self' " + factory.Issuer.Authority.TrimEnd('/'), csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval'", csp.Replace("'wasm-unsafe-eval'", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task App_MayBeFramedByItselfOnly_ForSilentSignIn_WhileTheApiIsNeverFramed()
    {
        var callback = await Anonymous().GetAsync("/app/authentication/login-callback?error=login_required&state=s");
        var api = await Anonymous().GetAsync("/api/v1/console/config");

        var csp = callback.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'self';", csp, StringComparison.Ordinal);
        Assert.Equal("SAMEORIGIN", callback.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", api.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", api.Headers.GetValues("X-Frame-Options").Single());
    }

    [Theory]
    [InlineData("/app/_framework/blazor.webassembly.js", "text/javascript")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css", "text/css")]
    [InlineData("/app/js/console.js", "text/javascript")]
    public async Task App_ServesItsAssets_WithoutAToken(string path, string mediaType)
    {
        var response = await Anonymous().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task App_IndexHtmlCarriesTheConfig_AsADataBlock_AndTheOidcScript()
    {
        var body = await (await Anonymous().GetAsync("/app/projects")).Content.ReadAsStringAsync();

        var config = InlinedConfig(body);
        Assert.Equal(factory.Issuer.Authority, config.GetProperty("authority").GetString());
        Assert.Equal("console-client", config.GetProperty("clientId").GetString());
        Assert.Equal(["openid", "profile", "offline_access"], config.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!));
        Assert.False(config.GetProperty("devSignIn").GetBoolean());
        Assert.Contains("AuthenticationService.js", body, StringComparison.Ordinal);
    }

    /// <summary>The JSON in the page's <c>mwap-console-config</c> block (what js/console.js hands to the app).</summary>
    internal static System.Text.Json.JsonElement InlinedConfig(string html)
    {
        const string Open = "<script id=\"mwap-console-config\" type=\"application/json\">";
        var start = html.IndexOf(Open, StringComparison.Ordinal);
        Assert.True(start > 0, "index.html has no configuration block");
        start += Open.Length;
        var end = html.IndexOf("</script>", start, StringComparison.Ordinal);
        Assert.True(html.IndexOf("</head>", StringComparison.Ordinal) > end, "the block is in the head");
        return System.Text.Json.JsonDocument.Parse(html[start..end]).RootElement;
    }

    [Theory]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css", "text/css")]
    [InlineData("/app/js/console.js", "text/javascript")]
    public async Task App_ServesItsAssetsCompressed_WhenTheBrowserAcceptsIt(string path, string mediaType)
    {
        var plain = await (await Anonymous().GetAsync(path)).Content.ReadAsByteArrayAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        var response = await Anonymous().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        await using var gzip = new System.IO.Compression.GZipStream(await response.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        using var decompressed = new MemoryStream();
        await gzip.CopyToAsync(decompressed);
        Assert.Equal(plain, decompressed.ToArray());
        Assert.True(response.Content.Headers.ContentLength < plain.Length);
    }

    [Fact]
    public async Task App_AnswersClientRoutesWithIndexHtml_ButMissingFilesWith404()
    {
        var route = await Anonymous().GetAsync("/app/projects/6b0cc46f5a9c97a6bac22d67");
        var missing = await Anonymous().GetAsync("/app/_framework/missing.js");

        Assert.Equal(HttpStatusCode.OK, route.StatusCode);
        Assert.Contains("<base href=\"/app/\" />", await route.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task App_WithoutTrailingSlash_RedirectsToTheApp()
    {
        var response = await Anonymous().GetAsync("/app");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/app/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Config_TellsTheAppHowToSignIn_WithoutAToken()
    {
        var data = await Anonymous().GetAsync("/api/v1/console/config").ReadDataAsync();

        Assert.Equal(factory.Issuer.Authority, data.GetProperty("authority").GetString());
        Assert.Equal("console-client", data.GetProperty("clientId").GetString());
        Assert.Equal(["openid", "profile", "offline_access"], data.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!));
        Assert.Equal(TestIssuer.Audience, data.GetProperty("audience").GetString());
        Assert.False(data.GetProperty("devSignIn").GetBoolean());
    }

    [Fact]
    public async Task DevSignIn_DoesNotExistOutsideDevelopment()
    {
        // Signed in, so the answer is routing's (unknown /api/v1 routes answer 401 before 404 without a token, as in MWAP).
        var response = await factory.CreateClientFor("auth0|someone").PostJsonAsync("/api/v1/console/dev-sign-in", new { sub = "auth0|intruder" });

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "route/not-found");
    }
}

public sealed class ConsoleDisabledTests(ConsoleDisabledApiFactory factory) : IClassFixture<ConsoleDisabledApiFactory>
{
    [Fact]
    public async Task Disabled_ServesNeitherTheAppNorItsConfig()
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var app = await client.GetAsync("/app/");
        var script = await client.GetAsync("/app/_framework/blazor.webassembly.js");
        var config = await client.GetAsync("/api/v1/console/config");

        Assert.NotEqual(HttpStatusCode.OK, app.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, script.StatusCode);
        await config.AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/unauthorized");
    }
}
