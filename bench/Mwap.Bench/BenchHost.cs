using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Mwap.Bench;

/// <summary>
/// The API host in-process, as tests/Mwap.Api.IntegrationTests/Infrastructure/MwapApiFactory.cs starts it: the real
/// service registrations and start-up (migrations), on the benchmark's database, with the recurring jobs off so that
/// only the benchmark runs the refresh job. An issuer that is never contacted (start-up validation wants one outside Development); nothing calls the API.
/// </summary>
internal sealed class BenchHost(BenchDatabase database, int concurrency) : WebApplicationFactory<global::Program>
{
    private Dictionary<string, string?> Settings() => new()
    {
        ["Database:Provider"] = database.Provider,
        ["ConnectionStrings:Mwap"] = database.ConnectionString,
        ["Database:DataDirectory"] = database.Directory,
        ["Jobs:Enabled"] = "false",
        // Outside Development the server insists on an issuer; nothing here calls the API, so none is ever contacted.
        ["Auth:Authority"] = "http://127.0.0.1:1/",
        ["Auth:Audience"] = "https://bench.invalid",
        ["Auth:RequireHttpsMetadata"] = "false",
        ["CloudProviders:AllowInsecureUrls"] = "true",
        ["Serilog:MinimumLevel:Default"] = "Warning",
        ["Integrations:Concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
    };

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // Program reads Jobs:Enabled before Build, so it must be host configuration.
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(Settings()));
        return base.CreateHost(builder);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(Settings()));
    }
}
