using System.Security.Cryptography;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.IntegrationTests.Infrastructure;
using Npgsql;

namespace Mwap.Api.IntegrationTests.Features.Scaling;

/// <summary>
/// Two real server processes (A and B) on one PostgreSQL database and one Redis, both running jobs, as a scaled-out
/// deployment would. The audit-log retention job runs every second so a test can watch several occurrences; the
/// integration jobs never fire by themselves (a test triggers them). A job left by a dead instance becomes visible
/// again after five seconds. Started only in the PostgreSQL pass of the test command.
/// </summary>
public sealed class TwoInstancesFixture : IAsyncLifetime
{
    public const string RetentionCron = "* * * * * *";
    public const string PostgresOnly = "Runs in the PostgreSQL pass (MWAP_TEST_DATABASE=postgres): two processes need one shared database";

    private readonly List<ServerProcess> _instances = [];
    private TestDatabase? _database;

    public static bool IsPostgresRun => TestDatabase.ConfiguredProvider == "Postgres";

    public TestIssuer Issuer { get; private set; } = null!;
    public RedisServer Redis { get; private set; } = null!;
    public string AdminSubject { get; } = TestUsers.NewSubject("admin");
    public ServerProcess A => _instances[0];
    public ServerProcess B => _instances[1];
    public IReadOnlyList<ServerProcess> Instances => _instances;
    public string ConnectionString => _database!.ConnectionString;

    /// <summary>The job store both instances share, read the way Hangfire's dashboard reads it.</summary>
    public JobStorage Jobs { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!IsPostgresRun)
        {
            return;
        }

        Issuer = await TestIssuer.StartAsync();
        Redis = await RedisServer.SharedAsync();
        _database = await TestDatabase.CreateAsync("Postgres");
        // The schema is prepared here, once, so both instances can start at the same time (as a deployment that ran
        // the `migrate` verb first would); starting them in parallel halves the fixture's time.
        await using (var db = new PostgresMwapDbContext(new DbContextOptionsBuilder<PostgresMwapDbContext>()
                         .UseNpgsql(ConnectionString).UseSnakeCaseNamingConvention().Options))
        {
            await db.Database.MigrateAsync();
        }

        var options = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true };
        Jobs = new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(ConnectionString, options), options);
        var environment = Environment();
        _instances.Add(new ServerProcess("A", environment("A")));
        _instances.Add(new ServerProcess("B", environment("B")));
        await EnsureBothRunningAsync();
    }

    private Func<string, IReadOnlyDictionary<string, string?>> Environment()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var stateSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var prefix = "mwap-" + Guid.NewGuid().ToString("N")[..8] + ":";
        return name => new Dictionary<string, string?>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Mwap"] = _database!.ConnectionString,
            ["Database__DataDirectory"] = Path.Combine(_database.Directory, name),
            ["Auth__Authority"] = Issuer.Authority,
            ["Auth__Audience"] = TestIssuer.Audience,
            ["Auth__RequireHttpsMetadata"] = "false",
            // One instance seeds the superadmin; both read it from the database.
            ["Auth__SuperAdmins__0"] = name == "A" ? AdminSubject : null,
            ["Database__MigrateOnStartup"] = "false",
            ["Encryption__ActiveKeyId"] = "k1",
            ["Encryption__Keys__k1"] = key,
            ["OAuth__StateSecret"] = stateSecret,
            ["Redis__ConnectionString"] = Redis.ConnectionString,
            ["Redis__InstanceName"] = prefix,
            ["Jobs__Enabled"] = "true",
            ["Jobs__WorkerCount"] = "2",
            ["Jobs__PollIntervalSeconds"] = "1",
            ["Jobs__InvisibilityTimeoutSeconds"] = "5",
            ["Jobs__AuditLogRetentionCron"] = RetentionCron,
            ["Integrations__RefreshCron"] = "0 0 1 1 *",
            ["Integrations__HealthCheckCron"] = "0 0 1 1 *",
            ["RateLimiting__PermitLimit"] = "100000",
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };
    }

    /// <summary>Restarts an instance an earlier test killed, so every test starts with both running.</summary>
    public async Task EnsureBothRunningAsync()
    {
        foreach (var instance in _instances.Where(i => !i.IsRunning))
        {
            instance.Launch();
        }

        await Task.WhenAll(_instances.Select(i => i.WaitUntilReadyAsync(ServerProcess.StartupPatience)));
    }

    /// <summary>The instance whose process id appears in a Hangfire server id (<c>{machine}:{pid}:{guid}</c>).</summary>
    public ServerProcess? InstanceOf(string? serverId) =>
        serverId is null ? null : _instances.FirstOrDefault(i => serverId.Contains($":{i.ProcessId}:", StringComparison.Ordinal));

    public IMonitoringApi Monitoring => Jobs.GetMonitoringApi();

    public async Task<NpgsqlConnection> OpenDatabaseAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        if (Issuer is not null)
        {
            await Issuer.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
