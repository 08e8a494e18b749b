using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Mwap.Api.IntegrationTests.Infrastructure;

/// <summary>
/// The built server (<c>Mwap.Api.dll</c>, copied beside the tests) run as a real process on a free loopback port, configured
/// through environment variables as an operator would. Used where one process is not enough: several instances, a killed instance.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private Process? _process;

    public ServerProcess(string name, IReadOnlyDictionary<string, string?> environment)
    {
        Name = name;
        _environment = environment;
        Port = FreePort();
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Name { get; }
    public int Port { get; }

    /// <summary>An anonymous client for this instance.</summary>
    public HttpClient Client { get; }

    public int ProcessId => _process?.Id ?? 0;
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The last lines the server wrote (stdout and stderr), for failure messages.</summary>
    public string RecentOutput => string.Join('\n', _output.TakeLast(40));

    /// <summary>Starts the server and waits until <c>/health/ready</c> answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(string name, IReadOnlyDictionary<string, string?> environment)
    {
        var server = new ServerProcess(name, environment);
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        Launch();
        await WaitUntilReadyAsync(StartupPatience);
    }

    /// <summary>Starts the process without waiting for it to be ready (<see cref="WaitUntilReadyAsync"/> does).</summary>
    public void Launch()
    {
        _process?.Dispose();
        var dll = Path.Combine(AppContext.BaseDirectory, "Mwap.Api.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{Port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server process");
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>A server process is ready in seconds; on a 2-core machine under heavy load its start-up has taken over a minute.</summary>
    public static readonly TimeSpan StartupPatience = TimeSpan.FromMinutes(3);

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process is null || _process.HasExited)
            {
                throw new InvalidOperationException($"Server {Name} exited ({_process?.ExitCode}) before it was ready:\n{RecentOutput}");
            }

            try
            {
                using var response = await Client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Server {Name} was not ready within {timeout}:\n{RecentOutput}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>A client that sends <paramref name="token"/> to this instance.</summary>
    public HttpClient CreateClient(string token)
    {
        var client = new HttpClient { BaseAddress = Client.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Kills the process at once (SIGKILL): no shutdown, no cleanup, as a crashed machine.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Client.Dispose();
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
