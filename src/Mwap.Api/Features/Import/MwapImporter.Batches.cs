using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Import;

/// <summary>The tenants' part of an import: batches read and mapped ahead, each written in one transaction.</summary>
internal sealed partial class MwapImporter
{
    /// <summary>
    /// Tenants in batches, one transaction each. The next batch is read and mapped (on the thread pool) while the
    /// current one is written, so the database's work overlaps ours; the staging store is never read by two at once.
    /// </summary>
    private async Task<HashSet<string>> ImportTenantsAsync(ImportRun run, ImportStaging staging, long staged, TextWriter progress, CancellationToken cancellationToken)
    {
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var only = run.Options.Tenant is null ? null : "t:" + run.Options.Tenant;
        var total = staging.TenantCount();
        var clock = Stopwatch.StartNew();
        var done = 0;
        var batches = staging.TenantKeys().Where(k => only is null || k == only).ToList().Chunk(Math.Max(1, run.Options.Batch)).ToList();
        Task<PreparedBatch>? Ahead(int index) => index < batches.Count
            ? Task.Run(() => PrepareAsync(run, staging, batches[index], bulk: true, claimed, cancellationToken), cancellationToken)
            : null;

        var next = Ahead(0);
        for (var i = 0; i < batches.Count; i++)
        {
            var prepared = await next!;
            next = Ahead(i + 1); // a parameter, not the loop variable: the task may start after i moved on
            try
            {
                await using (prepared)
                {
                    await CommitAsync(run, prepared, cancellationToken);
                }
            }
            catch (Exception e) when (e is DbUpdateException or DbException)
            {
                // Something in the batch clashed (a unique name, a row written here meanwhile): redo it tenant by tenant
                // through the change tracker, so only the tenant at fault is rolled back and reported.
                LogBatchFallback(logger, batches[i].Length, e);
                var ahead = next is null ? null : await next; // the staging store serves one reader at a time
                foreach (var key in batches[i])
                {
                    await using var single = await PrepareAsync(run, staging, [key], bulk: false, claimed, cancellationToken);
                    await CommitAsync(run, single, cancellationToken);
                }

                next = ahead is null ? null : Task.FromResult(ahead);
            }

            done += batches[i].Length;
            progress.WriteLine($"tenants {done}/{total} · {staged:N0} documents staged · {done / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0} tenants/s");
        }

        return claimed;
    }

    /// <summary>Reads and maps a batch of tenants, staging their writes in a context of its own.</summary>
    private async Task<PreparedBatch> PrepareAsync(ImportRun run, ImportStaging staging, IReadOnlyList<string> keys, bool bulk, HashSet<string> claimed,
        CancellationToken cancellationToken)
    {
        // A fresh context per batch keeps the change tracker (and memory) small.
        var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MwapDbContext>();
        var phase = Stopwatch.StartNew();
        var existing = await ExistingRows.LoadManyAsync(db, [.. keys.Select(k => k[2..]).Where(run.TenantsHere.Contains)], cancellationToken);
        run.Timings.Existing += phase.Elapsed.TotalSeconds;
        var batch = new PreparedBatch(scope, new ImportWrites(db, run, bulk), bulk);
        foreach (var key in keys)
        {
            phase.Restart();
            claimed.Add(key);
            var docs = staging.Documents(key);
            run.Timings.Reading += phase.Elapsed.TotalSeconds;
            phase.Restart();
            var tenant = new TenantImport(db, run, batch.Writes);
            tenant.Map(key[2..], docs, integrationId =>
            {
                claimed.Add("i:" + integrationId);
                return staging.Documents("i:" + integrationId);
            }, existing.GetValueOrDefault(key[2..]) ?? ExistingRows.None);
            batch.Tenants.Add((key[2..], tenant));
            run.Timings.Mapping += phase.Elapsed.TotalSeconds;
        }

        return batch;
    }

    /// <summary>
    /// Writes a batch in one transaction (whole tenants: an interrupted import leaves none half-written) and counts it.
    /// In bulk mode a failure propagates (the caller retries tenant by tenant); a single tenant's failure through the
    /// change tracker is reported and the import goes on.
    /// </summary>
    private static async Task CommitAsync(ImportRun run, PreparedBatch batch, CancellationToken cancellationToken)
    {
        if (!run.Options.DryRun)
        {
            var phase = Stopwatch.StartNew();
            try
            {
                await batch.Writes.WriteAsync(cancellationToken);
            }
            catch (Exception e) when (!batch.Bulk && e is DbUpdateException or DbException)
            {
                run.Report.Merge(batch.Tenants[0].Import.Failed(batch.Tenants[0].Id, e));
                return;
            }
            finally
            {
                run.Timings.Writing += phase.Elapsed.TotalSeconds;
            }
        }

        foreach (var (_, tenant) in batch.Tenants)
        {
            run.Report.Merge(tenant.Delta);
        }
    }

    private sealed class PreparedBatch(AsyncServiceScope scope, ImportWrites writes, bool bulk) : IAsyncDisposable
    {
        public ImportWrites Writes { get; } = writes;
        public bool Bulk { get; } = bulk;
        public List<(string Id, TenantImport Import)> Tenants { get; } = [];

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A bulk batch of {Tenants} tenants failed; importing them one at a time")]
    private static partial void LogBatchFallback(ILogger logger, int tenants, Exception exception);
}
