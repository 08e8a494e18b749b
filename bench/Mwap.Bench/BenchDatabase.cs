using Microsoft.Data.Sqlite;
using Npgsql;

namespace Mwap.Bench;

/// <summary>
/// The benchmark's own database: an SQLite file in a temporary folder (default), or a fresh database on a PostgreSQL
/// server, either the one <c>MWAP_BENCH_POSTGRES</c> names (an admin connection string) or a throwaway server
/// started from the machine's binaries (<see cref="BenchPostgresServer"/>).
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly BenchPostgresServer? _server;
    private readonly string? _adminConnectionString;
    private readonly string _name;

    private BenchDatabase(string provider, string connectionString, string directory, string name, string? adminConnectionString, BenchPostgresServer? server)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Directory = directory;
        _name = name;
        _adminConnectionString = adminConnectionString;
        _server = server;
    }

    /// <summary><c>Sqlite</c> or <c>Postgres</c>, as <c>Database:Provider</c> spells it.</summary>
    public string Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The host's data folder (SQLite file, development encryption keys).</summary>
    public string Directory { get; }

    /// <summary>What the report prints about the database.</summary>
    public string Description { get; private set; } = "";

    public static async Task<BenchDatabase> CreateAsync(string database)
    {
        var name = "bench_" + Guid.NewGuid().ToString("N")[..12];
        var directory = Path.Combine(Path.GetTempPath(), "mwap-bench", name);
        System.IO.Directory.CreateDirectory(directory);
        if (database != "postgres")
        {
            var sqlite = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "mwap.db") }.ToString();
            return new BenchDatabase("Sqlite", sqlite, directory, name, null, null) { Description = $"SQLite file in {directory}" };
        }

        BenchPostgresServer? server = null;
        string description;
        if (Environment.GetEnvironmentVariable("MWAP_BENCH_POSTGRES") is not { Length: > 0 } admin)
        {
            server = await BenchPostgresServer.StartAsync();
            admin = server.AdminConnectionString;
            description = $"PostgreSQL {server.Version} started for this run (fsync on)";
        }
        else
        {
            description = "PostgreSQL from MWAP_BENCH_POSTGRES";
        }

        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
        return new BenchDatabase("Postgres", connectionString, directory, name, admin, server) { Description = description };
    }

    public async ValueTask DisposeAsync()
    {
        if (_adminConnectionString is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
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
