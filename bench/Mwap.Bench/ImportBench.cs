using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Mwap.Api.Features.Import;
using Mwap.FakeProviders.MwapData;
using Npgsql;

namespace Mwap.Bench;

/// <summary>
/// <c>--mode import [--scale 1.0] [--database postgres]</c>: writes a generated MWAP mongodump (at scale 1: 10,000
/// tenants, 50,000 projects, 500,000 audit rows, 100,000 virtual files), imports it with the real verb, then loads the
/// very rows the import wrote with PostgreSQL's binary <c>COPY</c> into empty copies of the same tables (same indexes),
/// in the same run, and prints both rates and the import's memory.
/// </summary>
internal static class ImportBench
{
    private static readonly string[] Tables = ["tenants", "cloud_integrations", "projects", "project_members", "virtual_files", "audit_logs", "mwap_import_records"];

    public static async Task RunAsync(BenchOptions options)
    {
        var tenants = Math.Max(1, (int)(10_000 * options.Scale));
        Line($"MWAP import benchmark: scale {options.Scale} ({tenants} tenants, {tenants * 5} projects, {tenants * 50} audit rows, {tenants * 10} files), database {options.Database}{(options.Batch is { } b ? $", --batch {b}" : "")}");
        Line($"machine: {Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, load average {BenchProgram.LoadAverage()}");
#if DEBUG
        Line("WARNING: Debug build; figures are only meaningful with -c Release");
#endif
        var dataset = new MwapDataset(new MwapDatasetOptions
        {
            Seed = 7,
            Tenants = tenants,
            ProjectsPerTenant = 5,
            AuditPerTenant = 50,
            FilesPerTenant = 10,
            Broken = false,
            LegacyKey = "bench-legacy-key",
            Providers =
            [
                new("google-drive", "Google Drive", "http://127.0.0.1:1/auth", "http://127.0.0.1:1/token", "g-client", "g-secret", ["drive.readonly"]),
                new("dropbox", "Dropbox", "http://127.0.0.1:1/auth", "http://127.0.0.1:1/token", "d-client", "d-secret", ["files.metadata.read"]),
            ],
        });
        var work = Path.Combine(Path.GetTempPath(), "mwap-bench-import-" + Guid.NewGuid().ToString("N")[..8]);
        var clock = Stopwatch.StartNew();
        MwapDumpWriter.WriteDumpFolder(dataset, work, gzip: false);
        var documents = dataset.Expected.Values.Sum() + 2 + 1;
        var dumpBytes = new DirectoryInfo(work).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        Line($"dump: {documents:N0} documents, {BenchProgram.Mb(dumpBytes)} MB of BSON, written in {clock.Elapsed.TotalSeconds:F1} s");

        await using var database = await BenchDatabase.CreateAsync(options.Database);
        await using var host = new BenchHost(database, BenchOptions.DefaultConcurrency);
        var services = host.Services;
        Line($"database: {database.Description}");

        var memory = MemoryProbe.Start();
        clock.Restart();
        var stderr = new StringWriter();
        var stdout = new StringWriter();
        string[] arguments = ["import", "mwap", work, "--legacy-key", "bench-legacy-key", .. options.Batch is { } batch ? new[] { "--batch", batch.ToString(CultureInfo.InvariantCulture) } : []];
        var exit = await ImportCommand.RunAsync(services, arguments, stdout, stderr, CancellationToken.None);
        var importSeconds = clock.Elapsed.TotalSeconds;
        var used = memory.Stop();
        if (exit != 0)
        {
            throw new BenchmarkFailedException($"import exited {exit}: {stdout}{stderr}");
        }

        Line(stdout.ToString().TrimEnd());
        // The importer's own account of where the time went (its last progress line).
        Line(stderr.ToString().Split('\n').LastOrDefault(l => l.StartsWith("time:", StringComparison.Ordinal)) ?? "(no timing line)");
        var rows = await RowCountsAsync(database);
        var total = rows.Values.Sum();
        Line($"import: {importSeconds:F1} s, {documents / importSeconds:N0} source documents/s, {total:N0} rows written ({string.Join(", ", rows.Select(r => $"{r.Key} {r.Value:N0}"))}), {total / importSeconds:N0} rows/s");
        Line($"import memory: peak managed heap {BenchProgram.Mb(used.PeakHeap)} MB (before {BenchProgram.Mb(used.HeapBefore)} MB), peak working set {BenchProgram.Mb(used.PeakWorkingSet)} MB{(used.PeakIsPhaseOnly ? "" : " (process peak)")}, dump {BenchProgram.Mb(dumpBytes)} MB");
        if (database.Provider == "Postgres")
        {
            var copySeconds = await CopyBaselineAsync(database, work);
            Line($"COPY of the same {total:N0} rows into empty copies of the tables: {copySeconds:F1} s, {total / copySeconds:N0} rows/s");
            Line($"import / COPY = {total / importSeconds / (total / copySeconds):F2}");
        }

        Directory.Delete(work, recursive: true);
    }

    private static async Task<Dictionary<string, long>> RowCountsAsync(BenchDatabase database)
    {
        var counts = new Dictionary<string, long>();
        if (database.Provider != "Postgres")
        {
            return counts;
        }

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        foreach (var table in Tables)
        {
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
            counts[table] = (long)(await command.ExecuteScalarAsync())!;
        }

        return counts;
    }

    /// <summary>Exports each table (binary COPY, to a file) and times loading it into an empty <c>LIKE … INCLUDING ALL</c> copy.</summary>
    private static async Task<double> CopyBaselineAsync(BenchDatabase database, string work)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        var seconds = 0.0;
        foreach (var table in Tables)
        {
            var file = Path.Combine(work, table + ".copy");
            await using (var export = await connection.BeginRawBinaryCopyAsync($"COPY {table} TO STDOUT (FORMAT BINARY)"))
            await using (var output = File.Create(file))
            {
                await export.CopyToAsync(output);
            }

            await using (var create = new NpgsqlCommand($"CREATE TABLE copy_{table} (LIKE {table} INCLUDING ALL)", connection))
            {
                await create.ExecuteNonQueryAsync();
            }

            var clock = Stopwatch.StartNew();
            await using (var load = await connection.BeginRawBinaryCopyAsync($"COPY copy_{table} FROM STDIN (FORMAT BINARY)"))
            await using (var input = File.OpenRead(file))
            {
                await input.CopyToAsync(load);
            }

            seconds += clock.Elapsed.TotalSeconds;
        }

        return seconds;
    }

    private static void Line(string text) => Console.WriteLine(text.ToString(CultureInfo.InvariantCulture));
}
