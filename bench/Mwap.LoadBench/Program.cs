using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mwap.Bench;
using Npgsql;

namespace Mwap.LoadBench;

/// <summary>
/// HTTP load benchmark (issue 6): the real server as its own process on PostgreSQL, loaded by wrk over loopback, against
/// a raw Npgsql loop doing the same reads at the same concurrency in the same run.
/// <c>dotnet run -c Release --project bench/Mwap.LoadBench -- [--seconds 30] [--connections 32] [--runs 3]</c>.
/// </summary>
internal static class LoadBenchProgram
{
    private const string AdminSub = "auth0|bench-admin";
    private const string OwnerSub = "auth0|bench-owner";

    public static async Task<int> Main(string[] args)
    {
        var seconds = Arg(args, "--seconds", 30);
        var connections = Arg(args, "--connections", 32);
        var runs = Arg(args, "--runs", 1);
        if (!File.Exists("/usr/bin/wrk") && !File.Exists("/usr/local/bin/wrk"))
        {
            await Console.Error.WriteLineAsync("wrk not found: install Debian's package (apt-get install wrk).");
            return 2;
        }

        var repo = FindRepoRoot();
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var apiDll = Path.Combine(repo, "src", "Mwap.Api", "bin", configuration, "net10.0", "Mwap.Api.dll");
        Line($"MWAP HTTP load benchmark: {connections} connections, {seconds} s per endpoint, {runs} run(s), {configuration} build, " +
            $"{Environment.ProcessorCount} cores, load average {LoadAverage()}");
        if (configuration != "Release")
        {
            Line("WARNING: Debug build; figures are only meaningful with -c Release");
        }

        await using var postgres = await BenchPostgresServer.StartAsync();
        var databaseName = "mwap_load";
        await using (var admin = new NpgsqlConnection(postgres.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {databaseName}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(postgres.AdminConnectionString) { Database = databaseName, Pooling = true, MaxPoolSize = 100 }.ConnectionString;
        var dataDir = Path.Combine(Path.GetTempPath(), "mwap-load-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDir);
        var port = FreePort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Database__Provider"] = "postgres",
            ["ConnectionStrings__Mwap"] = connectionString,
            ["Database__DataDirectory"] = dataDir,
            ["Jobs__Enabled"] = "false",
            ["Auth__SuperAdmins__0"] = AdminSub,
            ["RateLimiting__PermitLimit"] = "1000000",
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["CloudProviders__AllowInsecureUrls"] = "true",
        };

        var adminToken = await CliAsync(apiDll, environment, "dev-token", "--sub", AdminSub);
        var ownerToken = await CliAsync(apiDll, environment, "dev-token", "--sub", OwnerSub, "--email", "owner@example.com");
        using var server = StartServer(apiDll, environment, port);
        var baseUrl = $"http://127.0.0.1:{port}";
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        await WaitReadyAsync(http);
        var seed = await SeedAsync(http, adminToken, ownerToken, connectionString);
        Line($"server pid {server.Id} on {baseUrl}; PostgreSQL {postgres.Version}; seeded project {seed.ProjectId} with a 1,000-file folder");

        var endpoints = new (string Name, string Path, Func<NpgsqlConnection, Task> Raw)[]
        {
            ("GET /projects/{id}", $"/api/v1/projects/{seed.ProjectId}", c => RawProjectAsync(c, seed)),
            ("GET /users/me/roles", "/api/v1/users/me/roles", c => RawRolesAsync(c, seed)),
            ("GET /projects/{id}/files", $"/api/v1/projects/{seed.ProjectId}/files", c => RawFilesAsync(c, seed)),
        };

        var results = new List<(string Name, LoadFigures Api, LoadFigures Raw)>();
        for (var run = 1; run <= runs; run++)
        {
            foreach (var (name, path, raw) in endpoints)
            {
                // Warm-up (JIT, pools, caches), not counted.
                await WrkAsync(baseUrl + path, ownerToken, connections, 3);
                var api = await WrkAsync(baseUrl + path, ownerToken, connections, seconds);
                var loop = await RawLoopAsync(connectionString, raw, connections, seconds);
                results.Add((name, api, loop));
                Line($"run {run} {name}: API {api.PerSecond:F0} req/s p50 {api.P50Ms:F2} ms p99 {api.P99Ms:F2} ms | " +
                    $"raw Npgsql {loop.PerSecond:F0} /s p50 {loop.P50Ms:F2} ms p99 {loop.P99Ms:F2} ms | ratio {api.PerSecond / loop.PerSecond:F2} | " +
                    $"server peak {PeakMegabytes(server.Id)} MB");
            }
        }

        Line("");
        Line("| endpoint | API req/s | p50 ms | p99 ms | raw Npgsql /s | raw p50 ms | raw p99 ms | API / raw |");
        Line("|---|---|---|---|---|---|---|---|");
        foreach (var group in results.GroupBy(r => r.Name))
        {
            double Median(Func<(string Name, LoadFigures Api, LoadFigures Raw), double> pick)
            {
                var values = group.Select(pick).Order().ToList();
                return values[values.Count / 2];
            }

            Line(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key} | {Median(r => r.Api.PerSecond):F0} | {Median(r => r.Api.P50Ms):F2} | {Median(r => r.Api.P99Ms):F2} | " +
                $"{Median(r => r.Raw.PerSecond):F0} | {Median(r => r.Raw.P50Ms):F2} | {Median(r => r.Raw.P99Ms):F2} | {Median(r => r.Api.PerSecond / r.Raw.PerSecond):F2} |"));
        }

        Line($"server peak working set (VmHWM): {PeakMegabytes(server.Id)} MB");
        server.Kill(entireProcessTree: true);
        await server.WaitForExitAsync();
        Directory.Delete(dataDir, recursive: true);
        return 0;
    }

    private sealed record Seed(string TenantId, string ProjectId, string IntegrationId, string OwnerSub);

    private static async Task<Seed> SeedAsync(HttpClient http, string adminToken, string ownerToken, string connectionString)
    {
        var typeId = await PostAsync(http, adminToken, "/api/v1/project-types", new { name = "Bench type", description = "Load benchmark", configSchema = new { type = "object" }, isActive = true });
        var providerId = await PostAsync(http, adminToken, "/api/v1/cloud-providers", new
        {
            name = "Bench Dropbox",
            slug = "dropbox",
            scopes = new[] { "files.metadata.read" },
            authUrl = "https://www.dropbox.com/oauth2/authorize",
            tokenUrl = "https://api.dropboxapi.com/oauth2/token",
            clientId = "bench-client",
            clientSecret = "bench-secret",
        });
        var tenantId = await PostAsync(http, ownerToken, "/api/v1/tenants", new { name = "Bench tenant" });
        var integrationId = await PostAsync(http, ownerToken, $"/api/v1/tenants/{tenantId}/integrations", new { providerId });
        var projectId = await PostAsync(http, ownerToken, "/api/v1/projects", new
        {
            tenantId,
            projectTypeId = typeId,
            cloudIntegrationId = integrationId,
            folderpath = "/Bench",
            name = "Bench project",
        });

        // The 1,000-file folder, written as the sync engine writes it.
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var batch = new NpgsqlBatch(connection);
        for (var i = 0; i < 1000; i++)
        {
            var name = $"photo-{i:0000}.jpg";
            var command = new NpgsqlBatchCommand(
                "INSERT INTO virtual_files (id, tenant_id, integration_id, provider_file_id, name, name_lower, path, path_lower, parent_path_lower, " +
                "mime_type, is_folder, size, modified_time, checksum, sync_generation, indexed_at) " +
                "VALUES (@id, @t, @i, @p, @n, @nl, @path, @pl, '/bench', 'image/jpeg', false, @size, now(), @sum, 1, now())");
            command.Parameters.AddWithValue("id", (i + 0x10000000).ToString("x24", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("t", tenantId);
            command.Parameters.AddWithValue("i", integrationId);
            command.Parameters.AddWithValue("p", $"id:bench{i}");
            command.Parameters.AddWithValue("n", name);
            command.Parameters.AddWithValue("nl", name);
            command.Parameters.AddWithValue("path", "/Bench/" + name);
            command.Parameters.AddWithValue("pl", "/bench/" + name);
            command.Parameters.AddWithValue("size", 1000L + i);
            command.Parameters.AddWithValue("sum", new string('a', 64));
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync();
        await using (var analyze = new NpgsqlCommand("ANALYZE", connection))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        return new Seed(tenantId, projectId, integrationId, OwnerSub);
    }

    // The raw loop makes the same reads each endpoint makes (the API's roles come from its cache), with nothing else:
    // no HTTP, JSON, authentication or authorisation.
    private static async Task RawProjectAsync(NpgsqlConnection connection, Seed seed)
    {
        await using var command = new NpgsqlCommand("SELECT * FROM projects WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", seed.ProjectId);
        await DrainAsync(command);
        await using var members = new NpgsqlCommand("SELECT user_id, role FROM project_members WHERE project_id = @id", connection);
        members.Parameters.AddWithValue("id", seed.ProjectId);
        await DrainAsync(members);
    }

    private static async Task RawRolesAsync(NpgsqlConnection connection, Seed seed)
    {
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM superadmins WHERE user_id = @u), (SELECT id FROM tenants WHERE owner_id = @u LIMIT 1), " +
            "(SELECT count(*) FROM project_members WHERE user_id = @u)", connection);
        command.Parameters.AddWithValue("u", seed.OwnerSub);
        await DrainAsync(command);
    }

    private static async Task RawFilesAsync(NpgsqlConnection connection, Seed seed)
    {
        await using var project = new NpgsqlCommand("SELECT * FROM projects WHERE id = @id", connection);
        project.Parameters.AddWithValue("id", seed.ProjectId);
        await DrainAsync(project);
        await using var folder = new NpgsqlCommand(
            "SELECT path, path_lower, provider_file_id FROM virtual_files WHERE tenant_id = @t AND integration_id = @i AND path_lower = '/bench' AND is_folder LIMIT 1", connection);
        folder.Parameters.AddWithValue("t", seed.TenantId);
        folder.Parameters.AddWithValue("i", seed.IntegrationId);
        await DrainAsync(folder);
        await using var command = new NpgsqlCommand(
            "SELECT * FROM virtual_files WHERE tenant_id = @t AND integration_id = @i AND parent_path_lower = '/bench' " +
            "ORDER BY name_lower, id LIMIT 101", connection);
        command.Parameters.AddWithValue("t", seed.TenantId);
        command.Parameters.AddWithValue("i", seed.IntegrationId);
        await DrainAsync(command);
    }

    private static async Task DrainAsync(NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            for (var c = 0; c < reader.FieldCount; c++)
            {
                _ = reader.GetValue(c);
            }
        }
    }

    private sealed record LoadFigures(double PerSecond, double P50Ms, double P99Ms);

    private static async Task<LoadFigures> RawLoopAsync(string connectionString, Func<NpgsqlConnection, Task> read, int workers, int seconds)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        var latencies = new List<double>[workers];
        var stopAt = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            var mine = latencies[w] = new List<double>(100_000);
            await using var connection = await source.OpenConnectionAsync();
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var start = Stopwatch.GetTimestamp();
                await read(connection);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new LoadFigures(all.Count / clock.Elapsed.TotalSeconds, all[all.Count / 2], all[(int)(all.Count * 0.99)]);
    }

    private static async Task<LoadFigures> WrkAsync(string url, string token, int connections, int seconds)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-t", "2", "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{seconds}s", "--latency", "-H", $"Authorization: Bearer {token}", url })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var perSecond = double.Parse(Find(output, "Requests/sec:"), CultureInfo.InvariantCulture);
        if (output.Contains("Non-2xx", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"wrk saw non-2xx answers from {url}:\n{output}");
        }

        return new LoadFigures(perSecond, Milliseconds(Find(output, " 50%")), Milliseconds(Find(output, " 99%")));
    }

    private static string Find(string output, string label)
    {
        var line = output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith(label.Trim(), StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk output has no '{label.Trim()}':\n{output}");
        return line.Trim()[label.Trim().Length..].Trim();
    }

    private static double Milliseconds(string value)
    {
        var (number, unit) = value.EndsWith("us", StringComparison.Ordinal) ? (value[..^2], 0.001)
            : value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 1.0)
            : value.EndsWith('s') ? (value[..^1], 1000.0) : (value, 1.0);
        return double.Parse(number, CultureInfo.InvariantCulture) * unit;
    }

    private static Process StartServer(string apiDll, Dictionary<string, string> environment, int port)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(apiDll)! };
        start.ArgumentList.Add(apiDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static readonly Queue<string> ServerOutput = new();

    private static void Remember(string? line)
    {
        lock (ServerOutput)
        {
            if (line is not null)
            {
                ServerOutput.Enqueue(line);
                if (ServerOutput.Count > 40)
                {
                    ServerOutput.Dequeue();
                }
            }
        }
    }

    private static async Task<string> CliAsync(string apiDll, Dictionary<string, string> environment, params string[] args)
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
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException($"{string.Join(' ', args)} failed: {error}");
    }

    private static async Task WaitReadyAsync(HttpClient http)
    {
        var until = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < until)
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

        lock (ServerOutput)
        {
            throw new InvalidOperationException("the server did not become ready within 120 s; its last output:\n" + string.Join('\n', ServerOutput));
        }
    }

    private static async Task<string> PostAsync(HttpClient http, string token, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        }

        return JsonDocument.Parse(text).RootElement.GetProperty("data").GetProperty("_id").GetString()!;
    }

    private static long PeakMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mwap.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("run from inside the repository (Mwap.slnx not found above the bench's folder)");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static void Line(string text) => Console.WriteLine(text);
}
