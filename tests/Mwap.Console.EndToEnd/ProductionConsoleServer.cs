using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
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
public sealed class ProductionConsoleServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Audience = "https://api.mwap.test";
    public const string AdminSubject = "auth0|prod-admin";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mwap-e2e-prod-" + Guid.NewGuid().ToString("N"));
    private readonly int _port = FreePort();
    private IPlaywright? _playwright;

    public FakeProviderServer Fake { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl => $"http://localhost:{_port}";

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        Fake = await FakeProviderServer.StartAsync();
        // The console's callbacks, registered with the issuer as with Auth0's Allowed Callback and Logout URLs.
        Fake.Issuer.AllowRedirectUri(BaseUrl + "/app/authentication/login-callback");
        Fake.Issuer.AllowLogoutRedirectUri(BaseUrl + "/app/authentication/logout-callback");
        UseKestrel(k => k.Listen(IPAddress.Loopback, _port));
        StartServer();
        Assertions.SetDefaultExpectTimeout(60_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("MWAP_E2E_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Database:Provider"] = "Sqlite",
        ["Database:DataDirectory"] = _directory,
        ["ConnectionStrings:Mwap"] = $"Data Source={Path.Combine(_directory, "mwap.db")}",
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

    /// <summary>A fresh browser context whose console errors and failed requests go to the test output.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 860 } });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                System.Console.Error.WriteLine($"[browser prod] {message.Type}: {message.Text}");
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                System.Console.Error.WriteLine($"[browser prod] {response.Status} {response.Request.Method} {response.Url}");
            }
        };
        return page;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await base.DisposeAsync();
        if (Fake is not null)
        {
            await Fake.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp directory is the system's to clean.
        }

        GC.SuppressFinalize(this);
    }
}
