using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Mwap.Bench;

/// <summary>
/// A throwaway PostgreSQL server from Debian's binaries on a free loopback port, as in
/// tests/Mwap.Api.IntegrationTests/Infrastructure/PostgresServer.cs (as the postgres user when run as root), but with
/// durability left on: the tests turn fsync off for speed, a benchmark must pay for commits as production does.
/// </summary>
internal sealed class BenchPostgresServer : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private readonly string _binDirectory;

    private BenchPostgresServer(string adminConnectionString, string dataDirectory, string binDirectory)
    {
        AdminConnectionString = adminConnectionString;
        _dataDirectory = dataDirectory;
        _binDirectory = binDirectory;
    }

    public string AdminConnectionString { get; }

    /// <summary>The major version (the binaries' folder name).</summary>
    public string Version => Path.GetFileName(Path.GetDirectoryName(_binDirectory)) ?? "?";

    private static bool AsRoot => Environment.UserName == "root";

    public static async Task<BenchPostgresServer> StartAsync()
    {
        var bin = FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found (looked for /usr/lib/postgresql/*/bin/initdb). Install Debian's postgresql-15 " +
            "or set MWAP_BENCH_POSTGRES to an admin connection string of a server.");
        var dir = Path.Combine(Path.GetTempPath(), "mwap-bench-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        if (AsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", dir], asPostgres: false);
        }

        var port = FreePort();
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", dir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"], AsRoot);
        var serverOptions = $"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=128MB";
        await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", dir, "-o", serverOptions, "-l", Path.Combine(dir, "server.log"), "-w", "-t", "60", "start"], AsRoot);
        return new BenchPostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false;Timeout=15", dir, bin);
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"], AsRoot, throwOnError: false);
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string? FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        return !Directory.Exists(root)
            ? null
            : Directory.GetDirectories(root)
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
        foreach (var a in asPostgres ? ["-u", "postgres", "--", file, .. arguments] : arguments)
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
