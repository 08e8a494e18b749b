using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Mwap.Api.IntegrationTests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL server per test run, started from the machine's binaries (Debian's postgresql-15) on a
/// free loopback port, as the <c>postgres</c> user when the run is root (PostgreSQL refuses root). Each test class
/// gets its own database on it. <c>MWAP_TEST_POSTGRES</c> may name an existing server's connection string instead.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresServer? _shared;

    private readonly string? _dataDirectory;
    private readonly string? _binDirectory;
    private readonly string? _serverOptions;

    private PostgresServer(string adminConnectionString, string? dataDirectory, string? binDirectory, string? serverOptions = null)
    {
        AdminConnectionString = adminConnectionString;
        _dataDirectory = dataDirectory;
        _binDirectory = binDirectory;
        _serverOptions = serverOptions;
    }

    /// <summary>Connection string to the <c>postgres</c> maintenance database, as superuser.</summary>
    public string AdminConnectionString { get; }

    public static async Task<PostgresServer> SharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                _shared = await StartAsync();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _shared.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            return _shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Starts a server of its own; <paramref name="allowExternal"/> false ignores <c>MWAP_TEST_POSTGRES</c> (a test that stops its server).</summary>
    public static async Task<PostgresServer> StartAsync(bool allowExternal = true)
    {
        if (allowExternal && Environment.GetEnvironmentVariable("MWAP_TEST_POSTGRES") is { Length: > 0 } external)
        {
            return new PostgresServer(external, null, null);
        }

        var bin = FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found (looked for /usr/lib/postgresql/*/bin/initdb). Install Debian's postgresql-15 " +
            "or set MWAP_TEST_POSTGRES to a server's connection string.");
        var asRoot = Environment.UserName == "root";
        var dir = Path.Combine(Path.GetTempPath(), "mwap-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        if (asRoot)
        {
            await RunAsync("chown", ["postgres:postgres", dir], asPostgres: false);
        }

        var port = FreePort();
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", dir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"], asRoot);
        // Durability is pointless for a throwaway server; turning it off makes DDL-heavy tests several times faster.
        var serverOptions = $"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " +
            "-c full_page_writes=off -c max_connections=400 -c shared_buffers=64MB";
        await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", dir, "-o", serverOptions, "-l", Path.Combine(dir, "server.log"), "-w", "-t", "60", "start"], asRoot);
        var admin = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false;Timeout=15";
        return new PostgresServer(admin, dir, bin, serverOptions);
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true, MaxPoolSize = 20 };
        return builder.ConnectionString;
    }

    public async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stops the server at once (<c>pg_ctl stop -m immediate</c>, as a crash would) and keeps its files for <see cref="ResumeAsync"/>.</summary>
    public async Task KillAsync()
    {
        await RunAsync(Path.Combine(RequireOwnServer(), "pg_ctl"), ["-D", _dataDirectory!, "-m", "immediate", "-w", "stop"], Environment.UserName == "root");
    }

    /// <summary>Starts a server stopped by <see cref="KillAsync"/> again, on the same port (it recovers from its WAL).</summary>
    public async Task ResumeAsync()
    {
        await RunAsync(Path.Combine(RequireOwnServer(), "pg_ctl"),
            ["-D", _dataDirectory!, "-o", _serverOptions!, "-l", Path.Combine(_dataDirectory!, "server.log"), "-w", "-t", "60", "start"],
            Environment.UserName == "root");
    }

    private string RequireOwnServer() => _binDirectory ?? throw new InvalidOperationException("This PostgreSQL server was not started by the tests.");

    /// <summary>Stops the server (fast) and removes its files.</summary>
    public async Task StopAsync()
    {
        if (_dataDirectory is null || _binDirectory is null || !Directory.Exists(_dataDirectory))
        {
            return;
        }

        await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"],
            Environment.UserName == "root", throwOnError: false);
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static string? FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string[] arguments, bool asPostgres, bool throwOnError = true)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && throwOnError)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }
}
