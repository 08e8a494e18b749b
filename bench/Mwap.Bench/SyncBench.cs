using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.Features.Files;
using Mwap.Api.Features.Files.Sync;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Bench;

/// <summary>
/// File sync benchmark (<c>--mode sync</c>): one tenant with one active integration on a fake provider holding a nested
/// tree of <c>--files</c> files; per run, a full sync into an empty index, the bare HTTP baseline (every page of the
/// same listing read with <see cref="HttpClient"/>, no database), an incremental sync with no changes, and one after
/// <c>--changes</c> changes. Every sync is checked against the fake's tree (count and path digest). See docs/performance.md.
/// </summary>
internal static class SyncBench
{
    public static async Task RunAsync(BenchOptions options)
    {
        var kind = options.Provider;
        Line($"MWAP file sync benchmark: {kind}, {options.Files} files ({options.FilesPerFolder} per folder), {options.Runs} runs, {options.Changes} changes, database {options.Database}");
        Line($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
            $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC, load average {BenchProgram.LoadAverage()}");
#if DEBUG
        Line("WARNING: Debug build; figures are only meaningful with -c Release");
#endif

        await using var fake = await FakeServerProcess.StartAsync();
        await using var database = await BenchDatabase.CreateAsync(options.Database);
        await using var host = new BenchHost(database, BenchOptions.DefaultConcurrency);
        var services = host.Services;
        var seeder = new Seeder(services, fake);
        var providerId = await seeder.AddProviderAsync(kind);
        var integration = (await seeder.AddIntegrationsAsync(providerId, 1, kind))[0];
        var clock = Stopwatch.StartNew();
        var items = int.Parse(await fake.AskAsync($"tree {kind} {options.Files} {options.FilesPerFolder}"), System.Globalization.CultureInfo.InvariantCulture);
        Line($"database: {database.Description}; fake {kind} (separate process) built {items} items ({options.Files} files) in {clock.Elapsed.TotalSeconds:F1} s");

        using var phases = new SyncPhases(services, fake, integration, kind);
        var warm = await phases.FullAsync();
        var warmBase = await phases.BaselineAsync();
        Line($"warm-up (not counted): full sync {warm.PerSecond:F0} items/s, baseline {warmBase.PerSecond:F0} items/s");

        Line("");
        Line("run  full s  items/s  base s  base/s  ratio  peak RSS  peak heap  alloc/item  no-change ms  changes ms  order");
        var runs = new List<SyncRunResult>();
        for (var run = 1; run <= options.Runs; run++)
        {
            SyncPhaseResult full, baseline;
            if (run % 2 == 1)
            {
                full = await phases.FullAsync();
                baseline = await phases.BaselineAsync();
            }
            else
            {
                baseline = await phases.BaselineAsync();
                full = await phases.FullAsync();
            }

            var noChange = await phases.IncrementalAsync(0, run);
            var changed = await phases.IncrementalAsync(options.Changes, run);
            var result = new SyncRunResult(full, baseline, noChange, changed);
            runs.Add(result);
            Line($"{run,3}  {full.Elapsed.TotalSeconds,6:F2}  {full.PerSecond,7:F0}  {baseline.Elapsed.TotalSeconds,6:F2}  {baseline.PerSecond,6:F0}  {full.PerSecond / baseline.PerSecond,5:F3}" +
                $"  {BenchProgram.Mb(full.Memory.PeakWorkingSet),5} MB  {BenchProgram.Mb(full.Memory.PeakHeap),6} MB  {Bytes(full.AllocatedPerItem),7} B" +
                $"  {noChange.Elapsed.TotalMilliseconds,12:F1}  {changed.Elapsed.TotalMilliseconds,10:F1}  {(run % 2 == 1 ? "sync first" : "baseline first")}");
        }

        Line("");
        Line($"median of {runs.Count} runs ({items} items: {options.Files} files and {items - options.Files} folders):");
        Line($"  full sync (FileSyncService, empty index)   {BenchProgram.Median(runs.Select(r => r.Full.PerSecond)),8:F0} items/s  ({BenchProgram.Median(runs.Select(r => r.Full.Elapsed.TotalSeconds)):F2} s)");
        Line($"  baseline (bare HTTP, every page)           {BenchProgram.Median(runs.Select(r => r.Baseline.PerSecond)),8:F0} items/s  ({BenchProgram.Median(runs.Select(r => r.Baseline.Elapsed.TotalSeconds)):F2} s)");
        Line($"  ratio full/baseline                        {BenchProgram.Median(runs.Select(r => r.Full.PerSecond / r.Baseline.PerSecond)),8:F3}");
        Line($"  full sync peak working set                 {BenchProgram.Mb(BenchProgram.Median(runs.Select(r => (double)r.Full.Memory.PeakWorkingSet))),8} MB" +
            (runs[0].Full.Memory.PeakIsPhaseOnly
                ? $" (peak during the sync; RSS before it {BenchProgram.Mb(BenchProgram.Median(runs.Select(r => (double)r.Full.Memory.WorkingSetBefore)))} MB)"
                : " (process peak: the kernel mark could not be reset)"));
        Line($"  full sync peak managed heap                {BenchProgram.Mb(BenchProgram.Median(runs.Select(r => (double)r.Full.Memory.PeakHeap))),8} MB (after a full GC before it: {BenchProgram.Mb(BenchProgram.Median(runs.Select(r => (double)r.Full.Memory.HeapBefore)))} MB)");
        Line($"  full sync allocated per item               {Bytes(BenchProgram.Median(runs.Select(r => r.Full.AllocatedPerItem))),8} B (baseline {Bytes(BenchProgram.Median(runs.Select(r => r.Baseline.AllocatedPerItem)))} B)");
        Line($"  incremental, no changes                    {BenchProgram.Median(runs.Select(r => r.NoChange.Elapsed.TotalMilliseconds)),8:F1} ms");
        Line($"  incremental, {options.Changes} changes" + new string(' ', Math.Max(1, 30 - options.Changes.ToString(System.Globalization.CultureInfo.InvariantCulture).Length)) +
            $"{BenchProgram.Median(runs.Select(r => r.Changed.Elapsed.TotalMilliseconds)),8:F1} ms");
        Line($"fake provider process peak working set {BenchProgram.Mb(await fake.PeakWorkingSetAsync())} MB (its own process, not counted above); load average {BenchProgram.LoadAverage()}");
    }

    private static string Bytes(double? bytes) => bytes is { } b ? b.ToString("F0", System.Globalization.CultureInfo.InvariantCulture) : "n/a";

    private static void Line(string text) => Console.WriteLine(text);
}

internal sealed record SyncRunResult(SyncPhaseResult Full, SyncPhaseResult Baseline, SyncPhaseResult NoChange, SyncPhaseResult Changed);

internal sealed record SyncPhaseResult(int Items, TimeSpan Elapsed, PhaseMemory Memory)
{
    public double PerSecond => Items / Elapsed.TotalSeconds;

    /// <summary>Null when the GC's allocation counter jumped during the phase (see <see cref="MemoryProbe"/>).</summary>
    public double? AllocatedPerItem => Memory.Allocated is { } bytes && Items > 0 ? (double)bytes / Items : null;
}

/// <summary>The timed phases of a sync run and their checks against the fake.</summary>
internal sealed class SyncPhases(IServiceProvider services, FakeServerProcess fake, SeededIntegration integration, string kind) : IDisposable
{
    private readonly SyncBaseline _baseline = new(fake.Endpoints.For(kind), integration.AccessToken, kind);

    /// <summary>Empties the integration's index (untimed), then times a full sync and checks it against the fake.</summary>
    public async Task<SyncPhaseResult> FullAsync()
    {
        await ClearIndexAsync();
        var (count, digest) = await FakeDigestAsync();
        var (result, elapsed, memory) = await SyncAsync(full: true);
        Check(result is { Kind: SyncResultKind.Completed, Mode: "full" }, $"full sync: {result.Kind} {result.Mode} {result.Error}");
        Check(result.FilesIndexed == count, $"full sync indexed {result.FilesIndexed} items, the fake holds {count}");
        await CheckIndexAsync(count, digest, "full sync");
        return new SyncPhaseResult(count, elapsed, memory);
    }

    /// <summary>Applies <paramref name="changes"/> changes at the fake (untimed), then times an incremental sync and checks the index.</summary>
    public async Task<SyncPhaseResult> IncrementalAsync(int changes, int seed)
    {
        if (changes > 0)
        {
            await fake.AskAsync($"changes {kind} {changes} {seed}");
        }

        var (count, digest) = await FakeDigestAsync();
        var (result, elapsed, memory) = await SyncAsync(full: false);
        Check(result is { Kind: SyncResultKind.Completed, Mode: "incremental" }, $"incremental sync: {result.Kind} {result.Mode} {result.Error}");
        Check(changes > 0 ? result.Changes >= changes : result.Changes == 0, $"incremental sync applied {result.Changes} changes, {changes} were made");
        Check(result.FilesIndexed == count, $"incremental sync left {result.FilesIndexed} items indexed, the fake holds {count}");
        await CheckIndexAsync(count, digest, $"incremental sync after {changes} changes");
        return new SyncPhaseResult(Math.Max(changes, 1), elapsed, memory);
    }

    public async Task<SyncPhaseResult> BaselineAsync()
    {
        var (count, _) = await FakeDigestAsync();
        var probe = MemoryProbe.Start();
        var clock = Stopwatch.StartNew();
        var read = await _baseline.ReadAllAsync();
        clock.Stop();
        var memory = probe.Stop();
        Check(read == count, $"the baseline read {read} items, the fake holds {count}");
        return new SyncPhaseResult(count, clock.Elapsed, memory);
    }

    private async Task<(SyncResult Result, TimeSpan Elapsed, PhaseMemory Memory)> SyncAsync(bool full)
    {
        await using var scope = services.CreateAsyncScope();
        var sync = scope.ServiceProvider.GetRequiredService<FileSyncService>();
        var probe = MemoryProbe.Start();
        var clock = Stopwatch.StartNew();
        var result = await sync.SyncAsync(integration.Id, full, CancellationToken.None);
        clock.Stop();
        return (result, clock.Elapsed, probe.Stop());
    }

    private async Task<(int Count, ulong Digest)> FakeDigestAsync()
    {
        var parts = (await fake.AskAsync($"digest {kind}")).Split(' ');
        return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), ulong.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task CheckIndexAsync(int count, ulong digest, string what)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MwapDbContext>();
        var rows = await db.Set<VirtualFile>().AsNoTracking().Where(f => f.IntegrationId == integration.Id)
            .Select(f => new { f.PathLower, f.IsFolder }).ToListAsync();
        var indexed = new TreeDigest();
        foreach (var row in rows)
        {
            indexed.Add(row.PathLower ?? "<no path>", row.IsFolder);
        }

        Check(rows.Count == count, $"after the {what} the index holds {rows.Count} rows, the fake {count} items");
        Check(indexed.Value == digest, $"after the {what} the indexed paths differ from the fake's tree (same count {count})");
        var state = await db.Set<CloudIntegration>().AsNoTracking().Where(i => i.Id == integration.Id).Select(i => i.Sync).FirstAsync();
        Check(state.LeaseOwner is null && state.Cursor is not null, $"after the {what} the sync lease is still held or no cursor was stored");
    }

    /// <summary>Untimed: removes the integration's rows so every full sync starts from an empty index.</summary>
    private async Task ClearIndexAsync()
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MwapDbContext>();
        await db.Set<VirtualFile>().Where(f => f.IntegrationId == integration.Id).ExecuteDeleteAsync();
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("VACUUM virtual_files");
        }
    }

    private static void Check(bool condition, string failure)
    {
        if (!condition)
        {
            throw new BenchmarkFailedException(failure);
        }
    }

    public void Dispose() => _baseline.Dispose();
}
