using Microsoft.Data.Sqlite;

namespace Mwap.Api.IntegrationTests.Infrastructure;

/// <summary>
/// A database of its own for one test class: an SQLite file in a temporary folder, or a fresh database on the
/// run's PostgreSQL server. <c>MWAP_TEST_DATABASE</c> (<c>sqlite</c>, the default, or <c>postgres</c>) picks the provider;
/// the README's test command runs the suite once with each.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly PostgresServer? _server;
    private readonly string _name;

    private TestDatabase(string provider, string connectionString, string directory, PostgresServer? server, string name)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Directory = directory;
        _server = server;
        _name = name;
    }

    /// <summary><c>Sqlite</c> or <c>Postgres</c>, as <c>Database:Provider</c> spells it.</summary>
    public string Provider { get; }

    public string ConnectionString { get; }

    /// <summary>A private folder for this database's host (its <c>data/</c>).</summary>
    public string Directory { get; }

    public bool IsPostgres => Provider == "Postgres";

    public static string ConfiguredProvider =>
        (Environment.GetEnvironmentVariable("MWAP_TEST_DATABASE") ?? "sqlite").Trim().ToLowerInvariant() switch
        {
            "postgres" or "postgresql" or "pg" => "Postgres",
            "sqlite" or "" => "Sqlite",
            var other => throw new InvalidOperationException($"MWAP_TEST_DATABASE must be sqlite or postgres, not '{other}'"),
        };

    public static async Task<TestDatabase> CreateAsync(string? provider = null)
    {
        provider ??= ConfiguredProvider;
        var name = "test_" + Guid.NewGuid().ToString("N")[..16];
        var directory = Path.Combine(Path.GetTempPath(), "mwap-tests", name);
        System.IO.Directory.CreateDirectory(directory);
        if (provider == "Postgres")
        {
            var server = await PostgresServer.SharedAsync();
            return new TestDatabase(provider, await server.CreateDatabaseAsync(name), directory, server, name);
        }

        var sqlite = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "mwap.db") }.ToString();
        return new TestDatabase(provider, sqlite, directory, null, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DropDatabaseAsync(_name);
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
