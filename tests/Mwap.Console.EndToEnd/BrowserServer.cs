using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using Mwap.FakeProviders;

namespace Mwap.Console.EndToEnd;

/// <summary>
/// What every end-to-end fixture shares: the real server on Kestrel (127.0.0.1, a free port) with its own data directory,
/// the fake providers beside it, and Debian's Chromium driven by Playwright (never a downloaded browser). Subclasses
/// give the server's environment and settings.
/// </summary>
public abstract class BrowserServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly int _port = FreePort();
    private IPlaywright? _playwright;

    protected BrowserServer(string directoryPrefix) =>
        DataDirectory = Path.Combine(Path.GetTempPath(), directoryPrefix + Guid.NewGuid().ToString("N"));

    public FakeProviderServer Fake { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Browsers treat http://localhost as a secure context, so the connect flow's <c>__Secure-</c> cookie is kept.</summary>
    public string BaseUrl => $"http://localhost:{_port}";

    protected string DataDirectory { get; }

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        Fake = await FakeProviderServer.StartAsync();
        BeforeServerStarts();
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

    /// <summary>Runs once the fakes are up and before the server starts (e.g. to register redirect URIs with the issuer).</summary>
    protected virtual void BeforeServerStarts()
    {
    }

    /// <summary>A fresh browser context (its own cookies and storage); its console errors and failed requests go to the test output, labelled.</summary>
    protected async Task<IPage> NewPageAsync(string label)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 860 } });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        // The browser's own errors (a failed script, a refused policy) go to the test output, where a failure is read.
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                System.Console.Error.WriteLine($"[browser {label}] {message.Type}: {message.Text}");
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                System.Console.Error.WriteLine($"[browser {label}] {response.Status} {response.Request.Method} {response.Url}");
            }
        };
        return page;
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
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp directory is the system's to clean.
        }

        GC.SuppressFinalize(this);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
