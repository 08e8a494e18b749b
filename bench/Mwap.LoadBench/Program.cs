using System.Globalization;
using Mwap.Bench;
using Npgsql;

namespace Mwap.LoadBench;

/// <summary>
/// HTTP load benchmark (issues 6 and 13): the real server as its own process, on PostgreSQL and on SQLite, loaded by
/// wrk over loopback. Every route is measured against <c>GET /users/me/roles</c> and <c>/health/live</c> in the same
/// run, so machine noise cancels in the ratios; each figure is the median of the runs.
/// <c>dotnet run -c Release --project bench/Mwap.LoadBench -- [--quick] [--runs 3] [--seconds 10] [--warmup 5] [--connections 32] [--database both|postgres|sqlite] [--api-dll PATH]</c>;
/// <c>--serve SECONDS</c> seeds one database and keeps the server up that long for profiling.
/// </summary>
internal static class LoadBenchProgram
{
    private const string Roles = "GET /users/me/roles";

    public static async Task<int> Main(string[] args)
    {
        var quick = args.Contains("--quick");
        var serveSeconds = Arg(args, "--serve", 0);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            Stopping.Cancel();
        };
        var runs = Arg(args, "--runs", 3);
        var seconds = Arg(args, "--seconds", quick ? 1 : 10);
        // Each route is loaded this long before it is measured: under 32 connections on two cores the runtime's tiered
        // compiler gets little CPU, and a write path (EF's SaveChanges) took 30-60 s of load to reach its optimised code
        // (PATCH 260 → 1,000 req/s on the same server), so a short warm-up measured the JIT, not the server.
        var warmup = Arg(args, "--warmup", quick ? 1 : 5);
        var connections = Arg(args, "--connections", 32);
        var database = args.SkipWhile(a => a != "--database").Skip(1).FirstOrDefault() ?? "both";
        if (!Wrk.Installed)
        {
            await Console.Error.WriteLineAsync("wrk not found: install Debian's package (apt-get install wrk).");
            return 2;
        }

        var repo = FindRepoRoot();
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        // --api-dll measures another build (e.g. a copy of the build before a change) with the same bench.
        var apiDll = args.SkipWhile(a => a != "--api-dll").Skip(1).FirstOrDefault()
            ?? Path.Combine(repo, "src", "Mwap.Api", "bin", configuration, "net10.0", "Mwap.Api.dll");
        Console.WriteLine($"MWAP HTTP load benchmark: {connections} connections, {seconds} s per route after {warmup} s of warm-up, {runs} run(s), {configuration} build, " +
            $"{Environment.ProcessorCount} cores, load average {LoadAverage()}");
        if (configuration != "Release")
        {
            Console.WriteLine("WARNING: Debug build; figures are only meaningful with -c Release");
        }

        var tables = new Dictionary<string, List<RouteResult>>();
        foreach (var provider in database == "both" ? new[] { "postgres", "sqlite" } : [database])
        {
            tables[provider] = await RunDatabaseAsync(provider, apiDll, runs, seconds, warmup, connections, serveSeconds);
        }

        if (tables.TryGetValue("postgres", out var pg) && tables.TryGetValue("sqlite", out var lite))
        {
            Console.WriteLine();
            Console.WriteLine("| route | PostgreSQL req/s | SQLite req/s | SQLite / PostgreSQL |");
            Console.WriteLine("|---|---|---|---|");
            foreach (var route in pg)
            {
                var other = lite.First(r => r.Name == route.Name);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {route.Name} | {route.Median(f => f.PerSecond):F0} | {other.Median(f => f.PerSecond):F0} | {other.Median(f => f.PerSecond) / route.Median(f => f.PerSecond):F2} |"));
            }
        }

        Console.WriteLine($"load average at the end {LoadAverage()}");
        return 0;
    }

    private sealed record Route(string Name, string? Goal, Func<Seed, string, double, Task<WrkFigures>> Run);

    private sealed record Sample(double PerSecond, double P50Ms, double P99Ms, double Ratio, double KbPerRequest, long PeakMb);

    private sealed record RouteResult(string Name, string? Goal, List<Sample> Samples)
    {
        public double Median(Func<Sample, double> pick)
        {
            var values = Samples.Select(pick).Order().ToList();
            return values[values.Count / 2];
        }
    }

    private static Route[] Routes(int c) =>
    [
        new("GET /health/live", null, (s, b, d) => Wrk.GetAsync(b + "/health/live", s.OwnerToken, c, d)),
        new(Roles, null, (s, b, d) => Wrk.GetAsync(b + "/api/v1/users/me/roles", s.OwnerToken, c, d)),
        new("GET /projects/{id} (5 members)", "≥ 0.5, p99 < 20 ms", (s, b, d) => Wrk.GetAsync($"{b}/api/v1/projects/{s.ProjectIds[0]}", s.OwnerToken, c, d)),
        new("GET /projects (member of 20)", "≥ 0.35", (s, b, d) => Wrk.GetAsync(b + "/api/v1/projects", s.ReaderToken, c, d)),
        new("GET /projects/{id}/files?limit=100 (1,000-file folder)", "≥ 0.25", (s, b, d) => Wrk.GetAsync($"{b}/api/v1/projects/{s.ProjectIds[0]}/files?limit=100", s.OwnerToken, c, d)),
        new("GET /projects/{id}/files?search= (100,000-file index)", "p99 < 50 ms", (s, b, d) => Wrk.GetAsync($"{b}/api/v1/projects/{s.ProjectIds[0]}/files?search=0042", s.OwnerToken, c, d)),
        new("GET …/files?search= (a new term each request: uncached)", "p99 < 50 ms", (s, b, d) => Wrk.GetVaryingAsync(b, $"/api/v1/projects/{s.ProjectIds[0]}/files?search=", s.OwnerToken, c, d)),
        new("GET /tenants/{t}/integrations (5)", "≥ 0.35", (s, b, d) => Wrk.GetAsync($"{b}/api/v1/tenants/{s.TenantId}/integrations", s.OwnerToken, c, d)),
        new($"PATCH /projects/{{id}} ({BenchSeed.Writers} writers)", "≥ 0.15, no 409", (s, b, d) => Wrk.PatchAsync(b, s.ProjectIds, s.OwnerToken, d)),
    ];

    private static readonly CancellationTokenSource Stopping = new();

    private static async Task<List<RouteResult>> RunDatabaseAsync(string provider, string apiDll, int runs, int seconds, int warmup, int connections, int serveSeconds)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "mwap-load-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDir);
        BenchPostgresServer? postgres = null;
        try
        {
            string connectionString;
            if (provider == "postgres")
            {
                postgres = await BenchPostgresServer.StartAsync();
                await using (var admin = new NpgsqlConnection(postgres.AdminConnectionString))
                {
                    await admin.OpenAsync();
                    await using var create = new NpgsqlCommand("CREATE DATABASE mwap_load", admin);
                    await create.ExecuteNonQueryAsync();
                }

                connectionString = new NpgsqlConnectionStringBuilder(postgres.AdminConnectionString) { Database = "mwap_load", Pooling = true, MaxPoolSize = 100 }.ConnectionString;
            }
            else
            {
                connectionString = $"Data Source={Path.Combine(dataDir, "mwap.db")}";
            }

            var environment = BenchServer.Environment(provider, connectionString, dataDir);
            // The first call creates the development signing key; the other two reuse it and run side by side.
            var adminToken = await BenchServer.CliAsync(apiDll, environment, "dev-token", "--sub", BenchServer.AdminSub);
            var tokens = await Task.WhenAll(
                BenchServer.CliAsync(apiDll, environment, "dev-token", "--sub", BenchSeed.OwnerSub, "--email", "owner@example.com"),
                BenchServer.CliAsync(apiDll, environment, "dev-token", "--sub", BenchSeed.ReaderSub, "--email", "reader@example.com"));
            var (ownerToken, readerToken) = (tokens[0], tokens[1]);
            using var server = await BenchServer.StartAsync(apiDll, environment);
            Seed seed;
            await using (var files = BenchSeed.Connect(provider, connectionString))
            {
                await files.OpenAsync();
                seed = await BenchSeed.RunAsync(server.BaseUrl, adminToken, ownerToken, readerToken, files);
            }

            Console.WriteLine($"{provider}: server pid {server.Pid} on {server.BaseUrl}{(postgres is null ? "" : $", PostgreSQL {postgres.Version}")}; " +
                $"seeded {BenchSeed.Writers} projects, 5 integrations, {BenchSeed.IndexFiles:N0} indexed files");
            if (serveSeconds > 0)
            {
                // For profiling: keep the seeded server up for --serve SECONDS (or until Ctrl-C), then clean up as usual.
                Console.WriteLine($"serving {serveSeconds} s; owner token: {seed.OwnerToken}");
                Console.WriteLine($"project {seed.ProjectIds[0]}, tenant {seed.TenantId}, reader token: {seed.ReaderToken}");
                await Task.Delay(TimeSpan.FromSeconds(serveSeconds), Stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                return [];
            }

            var routes = Routes(connections);
            foreach (var route in routes)
            {
                await route.Run(seed, server.BaseUrl, warmup); // warm-up: tiered JIT, pools, caches
            }

            var results = routes.Select(r => new RouteResult(r.Name, r.Goal, [])).ToList();
            for (var run = 1; run <= runs; run++)
            {
                double rolesPerSecond = 0;
                var samples = new List<(int Index, WrkFigures Figures, double Kb)>();
                for (var i = 0; i < routes.Length; i++)
                {
                    var before = await server.AllocatedBytesAsync();
                    var figures = await routes[i].Run(seed, server.BaseUrl, seconds);
                    var kb = (await server.AllocatedBytesAsync() - before) / 1024.0 / Math.Max(1, figures.Requests);
                    samples.Add((i, figures, kb));
                    rolesPerSecond = routes[i].Name == Roles ? figures.PerSecond : rolesPerSecond;
                }

                foreach (var (i, f, kb) in samples)
                {
                    results[i].Samples.Add(new Sample(f.PerSecond, f.P50Ms, f.P99Ms, f.PerSecond / rolesPerSecond, kb, server.PeakMegabytes()));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  run {run} {routes[i].Name}: {f.PerSecond:F0} req/s p50 {f.P50Ms:F2} ms p99 {f.P99Ms:F2} ms × roles {f.PerSecond / rolesPerSecond:F2} {kb:F1} KB/req"));
                }
            }

            Console.WriteLine();
            Console.WriteLine($"{provider}, medians of {runs} run(s):");
            Console.WriteLine("| route | req/s | p50 ms | p99 ms | × roles | goal | KB allocated / req |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var r in results)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {r.Name} | {r.Median(s => s.PerSecond):F0} | {r.Median(s => s.P50Ms):F2} | {r.Median(s => s.P99Ms):F2} | {r.Median(s => s.Ratio):F2} | {r.Goal ?? ""} | {r.Median(s => s.KbPerRequest):F1} |"));
            }

            Console.WriteLine($"server peak working set (VmHWM): {server.PeakMegabytes()} MB");
            Console.WriteLine();
            return results;
        }
        finally
        {
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }

            Directory.Delete(dataDir, recursive: true);
        }
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

    private static int Arg(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
