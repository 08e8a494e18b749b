using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Mwap.LoadBench;

/// <summary>
/// The real server as its own process (the Release <c>Mwap.Api.dll</c>, Kestrel on loopback), with the Prometheus
/// endpoint on a second port so the bench can read the runtime's allocation counter without touching the API port.
/// </summary>
internal sealed partial class BenchServer : IDisposable
{
    public const string AdminSub = "auth0|bench-admin";
    private readonly Process _process;
    private readonly HttpClient _metrics;
    private readonly Queue<string> _output = new();

    private BenchServer(Process process, string baseUrl, int metricsPort)
    {
        _process = process;
        BaseUrl = baseUrl;
        _metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}") };
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string BaseUrl { get; }

    public int Pid => _process.Id;

    /// <summary>The environment both the CLI verbs and the server get: Development (for <c>dev-token</c>), jobs off, logs at Warning, no rate limit.</summary>
    public static Dictionary<string, string> Environment(string provider, string connectionString, string dataDir) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["Database__Provider"] = provider,
        ["ConnectionStrings__Mwap"] = connectionString,
        ["Database__DataDirectory"] = dataDir,
        ["Jobs__Enabled"] = "false",
        ["Auth__SuperAdmins__0"] = AdminSub,
        ["RateLimiting__PermitLimit"] = "1000000",
        ["Serilog__MinimumLevel__Default"] = "Warning",
        ["CloudProviders__AllowInsecureUrls"] = "true",
    };

    public static async Task<BenchServer> StartAsync(string apiDll, Dictionary<string, string> environment)
    {
        var port = FreePort();
        var metricsPort = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(apiDll)! };
        foreach (var a in new[] { apiDll, "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["Metrics__Enabled"] = "true";
        start.Environment["Metrics__Port"] = metricsPort.ToString(CultureInfo.InvariantCulture);
        var server = new BenchServer(Process.Start(start) ?? throw new InvalidOperationException("could not start the server"), $"http://127.0.0.1:{port}", metricsPort);
        await server.WaitReadyAsync();
        return server;
    }

    public static async Task<string> CliAsync(string apiDll, Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(apiDll)! };
        start.ArgumentList.Add(apiDll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? (await output).Trim() : throw new InvalidOperationException($"{string.Join(' ', args)} failed: {error}");
    }

    /// <summary>Bytes the server's runtime has allocated so far (<c>dotnet.gc.heap.total_allocated</c>).</summary>
    public async Task<long> AllocatedBytesAsync()
    {
        var text = await _metrics.GetStringAsync("/metrics");
        var match = AllocatedLine().Match(text);
        return match.Success ? (long)double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException("the server's /metrics has no dotnet_gc_heap_total_allocated_bytes_total");
    }

    /// <summary>The server's peak working set so far, in MB (VmHWM).</summary>
    public long PeakMegabytes()
    {
        var line = File.ReadLines($"/proc/{Pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _metrics.Dispose();
    }

    [GeneratedRegex(@"^dotnet_gc_heap_total_allocated_bytes_total(?:\{[^}]*\})? ([0-9.eE+]+)", RegexOptions.Multiline)]
    private static partial Regex AllocatedLine();

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(120) && !_process.HasExited)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        lock (_output)
        {
            throw new InvalidOperationException("the server did not become ready within 120 s; its last output:\n" + string.Join('\n', _output));
        }
    }

    private void Remember(string? line)
    {
        lock (_output)
        {
            if (line is not null)
            {
                _output.Enqueue(line);
                if (_output.Count > 40)
                {
                    _output.Dequeue();
                }
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
