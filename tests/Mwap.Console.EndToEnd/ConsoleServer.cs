using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Mwap.FakeProviders;

namespace Mwap.Console.EndToEnd;

/// <summary>
/// The real server on Kestrel (127.0.0.1, a free port) in development mode on SQLite, with jobs running, the fake
/// providers beside it, and Debian's Chromium driven by Playwright (never a downloaded browser).
/// </summary>
public sealed class ConsoleServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminSubject = "auth0|e2e-admin";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mwap-e2e-" + Guid.NewGuid().ToString("N"));
    private readonly int _port = FreePort();
    private IPlaywright? _playwright;

    public FakeProviderServer Fake { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Browsers treat http://localhost as a secure context, so the connect flow's <c>__Secure-</c> cookie is kept.</summary>
    public string BaseUrl => $"http://localhost:{_port}";

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        Fake = await FakeProviderServer.StartAsync();
        UseKestrel(k => k.Listen(IPAddress.Loopback, _port));
        StartServer();
        // Generous waits, never sleeps: a loaded CI machine boots the WebAssembly app slowly.
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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:DataDirectory"] = _directory,
            ["ConnectionStrings:Mwap"] = $"Data Source={Path.Combine(_directory, "mwap.db")}",
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
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 860 } });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        // The browser's own errors (a failed script, a refused policy) go to the test output, where a failure is read.
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                System.Console.Error.WriteLine($"[browser {subject}] {message.Type}: {message.Text}");
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                System.Console.Error.WriteLine($"[browser {subject}] {response.Status} {response.Request.Method} {response.Url}");
            }
        };
        await page.GotoAsync(BaseUrl + "/app/signin");
        await page.FillTestAsync("signin-sub", subject);
        await page.FillTestAsync("signin-email", subject.Split('|')[^1] + "@example.test");
        await page.FillTestAsync("signin-name", name);
        await page.Test("signin-submit").ClickAsync();
        await page.Locator("[data-test=home-roles]").WaitForAsync();
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
