using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Mwap.Api.IntegrationTests.Infrastructure;

/// <summary>
/// One throwaway Redis server per test run: Debian's <c>redis-server</c> from PATH on a free loopback port, with no
/// persistence, in a temporary folder. Tests that need it fail with a clear message when the binary is missing.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static RedisServer? _shared;

    private readonly Process _process;
    private readonly string _directory;

    private RedisServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>StackExchange.Redis configuration string for <c>Redis:ConnectionString</c>.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> SharedAsync()
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

    public static async Task<RedisServer> StartAsync()
    {
        var binary = FindOnPath("redis-server") ?? throw new InvalidOperationException(
            "redis-server not found on PATH. Install Debian's redis-server (apt-get install -y redis-server); scripts/test.sh does this when it is missing.");
        var directory = Path.Combine(Path.GetTempPath(), "mwap-redis-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var port = FreePort();
        var start = new ProcessStartInfo(binary)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--dir", directory, "--daemonize", "no" })
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, directory, port);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"redis-server did not listen on port {port}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Append("/usr/sbin")
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
