using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Mwap.Api.IntegrationTests.Features.Scaling;

namespace Mwap.Api.IntegrationTests.Infrastructure.Persistence;

/// <summary>
/// A server on a PostgreSQL cluster of its own (not the run's shared one), so the test can crash it
/// (<c>pg_ctl stop -m immediate</c>) and start it again while the server keeps running.
/// </summary>
public sealed class OwnPostgresApiFactory : MwapApiFactory
{
    private string? _connectionString;

    public PostgresServer Cluster { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Postgres",
        ["ConnectionStrings:Mwap"] = _connectionString,
    };

    public override async ValueTask InitializeAsync()
    {
        if (!TwoInstancesFixture.IsPostgresRun)
        {
            return;
        }

        Cluster = await PostgresServer.StartAsync(allowExternal: false);
        // A short connect timeout: an outage shows in seconds, not after Npgsql's default 15.
        _connectionString = await Cluster.CreateDatabaseAsync("mwap") + ";Timeout=3";
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (Cluster is null)
        {
            return; // the SQLite pass: nothing was started
        }

        await base.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}

/// <summary>PostgreSQL goes down and comes back: readiness and the API say so promptly, and the same server recovers without a restart.</summary>
[Trait("Pass", "postgres")]
public sealed class DatabaseOutageTests(OwnPostgresApiFactory factory) : IClassFixture<OwnPostgresApiFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static bool IsPostgresRun => TwoInstancesFixture.IsPostgresRun;

    [Fact(Skip = "Runs in the PostgreSQL pass (MWAP_TEST_DATABASE=postgres)", SkipUnless = nameof(IsPostgresRun))]
    public async Task PostgresCrashesAndReturns_ReadyAndApiReport503_ThenRecoverWithoutRestart()
    {
        var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RolesOfNewUserAsync()).StatusCode);

        await factory.Cluster.KillAsync();
        var clock = Stopwatch.StartNew();
        var ready = await anonymous.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"readiness took {clock.Elapsed} to notice");
        Assert.Equal("unhealthy", JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        // A new user's roles are not cached, so this request needs the database.
        var down = await RolesOfNewUserAsync();
        await down.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "server/unavailable");
        Assert.True(down.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);

        await factory.Cluster.ResumeAsync();
        clock.Restart();
        // Pooled connections broken by the crash are discarded as they are met; until then a request may still get a 503, never anything else.
        while ((await anonymous.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(clock.Elapsed < Patience, "readiness did not recover");
            await Task.Delay(100);
        }

        while (true)
        {
            var response = await RolesOfNewUserAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            await response.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "server/unavailable");
            Assert.True(clock.Elapsed < Patience, "the API did not recover");
            await Task.Delay(100);
        }

        var tenant = await factory.CreateClientFor(TestUsers.NewSubject()).PostJsonAsync("/api/v1/tenants", new { name = TestUsers.UniqueName() });
        Assert.Equal(HttpStatusCode.Created, tenant.StatusCode);
    }

    private Task<HttpResponseMessage> RolesOfNewUserAsync() => factory.CreateClientFor(TestUsers.NewSubject()).GetAsync("/api/v1/users/me/roles");
}
