using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace Mwap.Bench;

/// <summary>
/// Token refresh benchmark: <c>dotnet run -c Release --project bench/Mwap.Bench -- [--integrations 10000] [--runs 5]
/// [--database sqlite|postgres] [--concurrency 4] [--warmup 2000]</c>; file sync benchmark with <c>--mode sync</c>
/// (<see cref="SyncBench"/>). See docs/performance.md.
/// A namespaced class, not top-level statements: the API's <c>Program</c> must stay the only global one.
/// </summary>
internal static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is [FakeServerProcess.ChildFlag])
        {
            return await FakeServerProcess.RunChildAsync();
        }

        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            await Console.Error.WriteLineAsync(BenchOptions.Usage);
            return 2;
        }

        // WebApplicationFactory finds the API's content root through MvcTestingAppManifest.json in the working
        // directory, as under a test runner; `dotnet run` starts from wherever it was typed.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        try
        {
            await (options.Mode switch
            {
                "sync" => SyncBench.RunAsync(options),
                "import" => ImportBench.RunAsync(options),
                _ => RunAsync(options),
            });
            return 0;
        }
        catch (BenchmarkFailedException e)
        {
            await Console.Error.WriteLineAsync($"BENCHMARK FAILED: {e.Message}");
            return 1;
        }
    }

    private static async Task RunAsync(BenchOptions options)
    {
        var n = options.Integrations;
        Line($"MWAP token refresh benchmark: {n} integrations, {options.Runs} runs, concurrency {options.Concurrency}, database {options.Database}");
        Line($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
            $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC, load average {LoadAverage()}");
#if DEBUG
        Line("WARNING: Debug build; figures are only meaningful with -c Release");
#endif

        await using var fake = await FakeServerProcess.StartAsync();
        await using var database = await BenchDatabase.CreateAsync(options.Database);
        await using var host = new BenchHost(database, options.Concurrency);
        var services = host.Services; // starts the host: migrations run here
        Line($"database: {database.Description}; fake Dropbox (separate process) at {new Uri(fake.Endpoints.TokenUrl).GetLeftPart(UriPartial.Authority)}");

        var seeder = new Seeder(services, fake);
        var clock = Stopwatch.StartNew();
        var providerId = await seeder.AddDropboxAsync();
        var integrations = await seeder.AddIntegrationsAsync(providerId, n);
        Line($"seeded {n} tenants and integrations in {clock.Elapsed.TotalSeconds:F1} s");

        using var phases = new Phases(services, fake, seeder, options.Concurrency);
        if (options.Warmup > 0)
        {
            var warm = integrations.Take(options.Warmup).ToList();
            var job = await phases.RunJobAsync([.. warm.Select(i => i.Id)], warm.Count);
            var baseline = await phases.RunBaselineAsync(warm);
            Line($"warm-up ({warm.Count}, not counted): job {job.PerSecond:F0}/s, baseline {baseline.PerSecond:F0}/s");
        }

        Line("");
        Line("run  job s   job/s   base s  base/s  ratio  job peak RSS  job peak heap  job alloc/refresh  base alloc/refresh  job GC pause  order");
        var runs = new List<(PhaseResult Job, PhaseResult Baseline)>();
        for (var run = 1; run <= options.Runs; run++)
        {
            // Alternate which phase goes first, so drift in a shared machine's load does not favour one of them.
            PhaseResult job, baseline;
            if (run % 2 == 1)
            {
                job = await phases.RunJobAsync(null, n);
                baseline = await phases.RunBaselineAsync(integrations);
            }
            else
            {
                baseline = await phases.RunBaselineAsync(integrations);
                job = await phases.RunJobAsync(null, n);
            }

            runs.Add((job, baseline));
            Line($"{run,3}  {job.Elapsed.TotalSeconds,5:F1}  {job.PerSecond,6:F0}  {baseline.Elapsed.TotalSeconds,6:F1}  {baseline.PerSecond,6:F0}  {job.PerSecond / baseline.PerSecond,5:F3}" +
                $"  {Mb(job.Memory.PeakWorkingSet),9} MB  {Mb(job.Memory.PeakHeap),10} MB  {Kb(job.AllocatedPerRefresh),14} KB  {Kb(baseline.AllocatedPerRefresh),15} KB" +
                $"  {job.Memory.GcPause.TotalMilliseconds,9:F0} ms  {(run % 2 == 1 ? "job first" : "baseline first")}");
        }

        var first = runs[0].Job.Memory;
        if (runs.Any(r => r.Job.AllocatedPerRefresh is null || r.Baseline.AllocatedPerRefresh is null))
        {
            Line("n/a: the GC's allocation counter jumped during that phase (a DATAS heap-count change), so no figure");
        }

        Line("");
        Line($"median of {runs.Count} runs:");
        Line($"  job (TokenRefreshJob.RunAsync)     {Median(runs.Select(r => r.Job.PerSecond)),8:F0} refreshes/s");
        Line($"  baseline (bare HTTP to the fake)   {Median(runs.Select(r => r.Baseline.PerSecond)),8:F0} refreshes/s");
        Line($"  ratio job/baseline                 {Median(runs.Select(r => r.Job.PerSecond / r.Baseline.PerSecond)),8:F3}");
        Line($"  job peak working set               {Mb(Median(runs.Select(r => (double)r.Job.Memory.PeakWorkingSet))),8} MB" +
            (first.PeakIsPhaseOnly ? " (peak during the job; RSS before it " + Mb(Median(runs.Select(r => (double)r.Job.Memory.WorkingSetBefore))) + " MB)" : " (process peak: the kernel mark could not be reset)"));
        Line($"  job peak managed heap              {Mb(Median(runs.Select(r => (double)r.Job.Memory.PeakHeap))),8} MB (after a full GC before it: {Mb(Median(runs.Select(r => (double)r.Job.Memory.HeapBefore)))} MB)");
        Line($"  job allocated per refresh          {Kb(Median(runs.Select(r => r.Job.AllocatedPerRefresh))),8} KB (baseline {Kb(Median(runs.Select(r => r.Baseline.AllocatedPerRefresh)))} KB)");
        Line($"  job GCs gen0/gen1/gen2             {Median(runs.Select(r => (double)r.Job.Memory.Collections[0])),4:F0}/{Median(runs.Select(r => (double)r.Job.Memory.Collections[1])):F0}/{Median(runs.Select(r => (double)r.Job.Memory.Collections[2])):F0}");
        Line($"fake provider process peak working set {Mb(await fake.PeakWorkingSetAsync())} MB (its own process, not counted above); load average {LoadAverage()}");
    }

    internal static double Median(IEnumerable<double> values) => Median(values.Select(v => (double?)v))!.Value;

    /// <summary>The median of the known values; null when none is known.</summary>
    internal static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.OfType<double>().Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length == 0 ? null : sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    internal static string Mb(double bytes) => (bytes / (1024 * 1024)).ToString("F0", CultureInfo.InvariantCulture);

    private static string Kb(double? bytes) => bytes is { } b ? (b / 1024).ToString("F1", CultureInfo.InvariantCulture) : "n/a";

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static void Line(string text) => Console.WriteLine(text);
}
