using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Mwap.Console.EndToEnd;

/// <summary>
/// Production sign-in in a real browser: the console's OIDC authorization code + PKCE flow
/// (Microsoft.AspNetCore.Components.WebAssembly.Authentication) against an issuer, through the issuer's own login page,
/// back to the console with an access token the API accepts, and out again.
/// </summary>
public sealed class ConsoleProductionSignInTests(ProductionConsoleServer server) : IClassFixture<ProductionConsoleServer>
{
    [Fact]
    public async Task SignIn_ThroughTheIssuersLoginPage_WithCodeAndPkce_ReachesHomeWithTheRoles_AndSignsOut()
    {
        var page = await server.NewPageAsync();
        var frames = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.FrameNavigated += (_, frame) =>
        {
            if (frame != page.MainFrame)
            {
                frames.Enqueue(frame.Url);
            }
        };
        await page.GotoAsync(server.BaseUrl + "/app/");
        await page.Test("welcome-sign-in").WaitForAsync();
        // The library first tries a silent sign-in in a hidden iframe (prompt=none): the issuer answers login_required
        // and the iframe lands on the app's callback, which the app's own policy must let it frame.
        Assert.Contains(frames, url => url.StartsWith(server.BaseUrl + "/app/authentication/login-callback?error=login_required", StringComparison.Ordinal));
        Assert.DoesNotContain(frames, url => url.StartsWith("chrome-error:", StringComparison.Ordinal));
        await page.Test("welcome-sign-in").ClickAsync();

        // The issuer's page, reached with the console's code + PKCE request.
        await page.WaitForURLAsync(new Regex("^" + Regex.Escape(server.Fake.Issuer.Authority) + "authorize\\?"));
        var authorize = new Uri(page.Url);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal(("code", "S256", server.Fake.Issuer.ClientId), (query["response_type"].ToString(), query["code_challenge_method"].ToString(), query["client_id"].ToString()));
        Assert.Equal(ProductionConsoleServer.Audience, query["audience"].ToString());
        Assert.Equal(server.BaseUrl + "/app/authentication/login-callback", query["redirect_uri"].ToString());
        await page.FillAsync("[data-test=issuer-sub]", ProductionConsoleServer.AdminSubject);
        await page.FillAsync("[data-test=issuer-name]", "Petra Production");
        await page.FillAsync("[data-test=issuer-email]", "petra@example.test");
        await page.ShotAsync("signin-issuer");
        await page.ClickAsync("[data-test=issuer-submit]");

        // Back in the console: the id_token's name in the bar, the roles the API gives the access token's subject.
        await Assertions.Expect(page.Test("home-roles")).ToContainTextAsync("Superadmin");
        await Assertions.Expect(page.Test("home-user")).ToHaveTextAsync(ProductionConsoleServer.AdminSubject);
        await Assertions.Expect(page.Test("user-name")).ToHaveTextAsync("Petra Production");
        await Assertions.Expect(page.Test("nav-admin-tenants")).ToBeVisibleAsync();
        Assert.Equal(1, server.Fake.Issuer.TokensIssued);
        await page.ShotAsync("home-oidc");

        await page.Test("sign-out").ClickAsync();
        await page.WaitForURLAsync(new Regex("/app/authentication/logged-out$"));
        await Assertions.Expect(page.Test("sign-in")).ToBeVisibleAsync();
        await Assertions.Expect(page.Test("home-roles")).ToHaveCountAsync(0);
    }
}
