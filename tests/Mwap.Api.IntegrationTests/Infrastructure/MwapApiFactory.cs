using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mwap.Api.Features.SuperAdmins;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.IntegrationTests.Infrastructure;

/// <summary>
/// The real server over the real HTTP pipeline, on its own database (SQLite or PostgreSQL per <c>MWAP_TEST_DATABASE</c>),
/// validating tokens from its own <see cref="TestIssuer"/> through the production JwtBearer path. Schema comes from the
/// migrations, applied at start-up as in production.
/// </summary>
public class MwapApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public TestIssuer Issuer { get; private set; } = null!;
    public TestDatabase Database { get; private set; } = null!;

    /// <summary>Every log event the server wrote.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>Extra configuration for a test class (e.g. a tight rate limit).</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>();

    /// <summary>The host environment (default <c>Testing</c>).</summary>
    protected virtual string EnvironmentName => "Testing";

    /// <summary>When set, the host uses this database (another host's) instead of creating its own, and leaves it alone on dispose.</summary>
    protected TestDatabase? SharedDatabase { get; init; }

    public virtual async ValueTask InitializeAsync()
    {
        Issuer = await TestIssuer.StartAsync();
        Database = SharedDatabase ?? await TestDatabase.CreateAsync();
        _ = Server; // start the host now: migrations run here, not inside the first test
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = Database.Provider,
            ["ConnectionStrings:Mwap"] = Database.ConnectionString,
            ["Database:DataDirectory"] = Database.Directory,
            ["Auth:Authority"] = Issuer.Authority,
            ["Auth:Audience"] = TestIssuer.Audience,
            ["Auth:RequireHttpsMetadata"] = "false",
            ["Jobs:Enabled"] = "false",
            ["RateLimiting:PermitLimit"] = "100000",
            ["RateLimiting:OAuthPermitLimit"] = "100000",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }

        return settings;
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // Host configuration is visible while Program registers services (it reads Jobs:Enabled before Build).
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(Settings()));
        return base.CreateHost(builder);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(Settings()));
        builder.ConfigureServices(services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs));
        ConfigureTestServices(builder);
    }

    /// <summary>Hook for a test class's own additions (an extra endpoint, a fault).</summary>
    protected virtual void ConfigureTestServices(IWebHostBuilder builder)
    {
    }

    /// <summary>A client that sends a valid bearer token for <paramref name="subject"/>.</summary>
    public HttpClient CreateClientFor(string subject) => CreateClientWithToken(Issuer.CreateToken(subject));

    public HttpClient CreateClientWithToken(string token)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Makes <paramref name="subject"/> a superadmin (as the <c>superadmin add</c> verb does) and returns its client.</summary>
    public async Task<HttpClient> CreateSuperAdminClientAsync(string subject)
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SuperAdminRegistry>().AddAsync(subject, "test", CancellationToken.None);
        return CreateClientFor(subject);
    }

    /// <summary>Runs <paramref name="query"/> against the database under test, in its own scope.</summary>
    internal async Task<T> WithDbAsync<T>(Func<MwapDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<MwapDbContext>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Issuer.DisposeAsync();
        if (SharedDatabase is null)
        {
            await Database.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
