using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Mwap.FakeProviders;

namespace Mwap.Console.EndToEnd;

/// <summary>
/// The server as production runs it: the Production environment, every required secret set, bearer tokens from an
/// OIDC issuer (the fake Auth0 of <see cref="FakeProviderServer.Issuer"/>) and the console signing in against it with
/// code + PKCE. No development sign-in exists here. Jobs are off: this fixture is about signing in.
/// </summary>
public sealed class ProductionConsoleServer() : BrowserServer("mwap-e2e-prod-")
{
    public const string Audience = "https://api.mwap.test";
    public const string AdminSubject = "auth0|prod-admin";

    /// <summary>A fresh browser context whose console errors and failed requests go to the test output.</summary>
    public Task<IPage> NewPageAsync() => NewPageAsync("prod");

    // The console's callbacks, registered with the issuer as with Auth0's Allowed Callback and Logout URLs.
    protected override void BeforeServerStarts()
    {
        Fake.Issuer.AllowRedirectUri(BaseUrl + "/app/authentication/login-callback");
        Fake.Issuer.AllowLogoutRedirectUri(BaseUrl + "/app/authentication/logout-callback");
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Database:Provider"] = "Sqlite",
        ["Database:DataDirectory"] = DataDirectory,
        ["ConnectionStrings:Mwap"] = $"Data Source={Path.Combine(DataDirectory, "mwap.db")}",
        ["Auth:Authority"] = Fake.Issuer.Authority,
        ["Auth:Audience"] = Audience,
        // The fake issuer speaks plain HTTP on 127.0.0.1; everything else is as in production.
        ["Auth:RequireHttpsMetadata"] = "false",
        ["Auth:SuperAdmins:0"] = AdminSubject,
        ["Console:ClientId"] = Fake.Issuer.ClientId,
        ["Encryption:ActiveKeyId"] = "k1",
        ["Encryption:Keys:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["OAuth:StateSecret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
        ["OAuth:RedirectUri"] = BaseUrl + "/api/v1/oauth/callback",
        ["OAuth:FrontendOrigin"] = BaseUrl,
        ["Jobs:Enabled"] = "false",
        ["RateLimiting:PermitLimit"] = "100000",
        ["Serilog:MinimumLevel:Default"] = "Warning",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(Settings()));
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(Settings()));
        return base.CreateHost(builder);
    }
}
