using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;

namespace Mwap.Console.EndToEnd;

/// <summary>
/// The real server in development mode on SQLite, with jobs running (see <see cref="BrowserServer"/> for the rest).
/// </summary>
public sealed class ConsoleServer() : BrowserServer("mwap-e2e-")
{
    public const string AdminSubject = "auth0|e2e-admin";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:DataDirectory"] = DataDirectory,
            ["ConnectionStrings:Mwap"] = $"Data Source={Path.Combine(DataDirectory, "mwap.db")}",
            ["Auth:Authority"] = "",
            ["Auth:Audience"] = "",
            ["Auth:SuperAdmins:0"] = AdminSubject,
            ["CloudProviders:AllowInsecureUrls"] = "true",
            ["OAuth:RedirectUri"] = BaseUrl + "/api/v1/oauth/callback",
            ["OAuth:FrontendOrigin"] = BaseUrl,
            ["Jobs:PollIntervalSeconds"] = "1",
            ["RateLimiting:PermitLimit"] = "100000",
            ["RateLimiting:OAuthPermitLimit"] = "100000",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["Jobs:Enabled"] = "true" }));
        return base.CreateHost(builder);
    }

    /// <summary>A fresh browser context (its own cookies and storage) signed in through the console's development sign-in.</summary>
    public async Task<IPage> SignInAsync(string subject, string name)
    {
        var page = await NewPageAsync(subject);
        await page.GotoAsync(BaseUrl + "/app/signin");
        await page.FillTestAsync("signin-sub", subject);
        await page.FillTestAsync("signin-email", subject.Split('|')[^1] + "@example.test");
        await page.FillTestAsync("signin-name", name);
        await page.Test("signin-submit").ClickAsync();
        await page.Locator("[data-test=home-roles]").WaitForAsync();
        return page;
    }
}
