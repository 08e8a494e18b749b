using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Import;

/// <summary>The tenants' part of an import: batches read and mapped ahead, each written in one transaction.</summary>
internal sealed partial class MwapImporter
{
    /// <summary>
    /// Tenants in batches, one transaction each, as a two-stage pipeline: a producer reads the staged tenants in one pass
    /// and maps them a batch at a time (on the thread pool) into a bounded channel, while this loop writes the batch
    /// before; the database's work overlaps ours and at most three batches are in memory. Mapping (which reads and
    /// updates the run's names and owners) is done by one at a time: the producer, or the tenant-by-tenant redo of a
    /// failed batch, which maps again from the documents the batch kept and never reads the staging store.
    /// </summary>
    private async Task<HashSet<string>> ImportTenantsAsync(ImportRun run, ImportStaging staging, long staged, TextWriter progress, CancellationToken cancellationToken)
    {
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var only = run.Options.Tenant is null ? null : "t:" + run.Options.Tenant;
        var total = staging.TenantCount();
        var clock = Stopwatch.StartNew();
        var done = 0;
        var channel = Channel.CreateBounded<PreparedBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var mapping = new SemaphoreSlim(1, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ProduceAsync(run, staging, only, claimed, mapping, channel.Writer, stop.Token), stop.Token);
        try
        {
            await foreach (var prepared in channel.Reader.ReadAllAsync(cancellationToken))
            {
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
                    LogBatchFallback(logger, prepared.Sources.Count, e);
                    await mapping.WaitAsync(cancellationToken);
                    try
                    {
                        foreach (var source in prepared.Sources)
                        {
                            await using var single = await PrepareAsync(run, [source], bulk: false, claimed,
                                (kept, integrationId) => kept.Files.GetValueOrDefault(integrationId) ?? [], cancellationToken);
                            await CommitAsync(run, single, cancellationToken);
                        }
                    }
                    finally
                    {
                        mapping.Release();
                    }
                }

                done += prepared.Sources.Count;
                progress.WriteLine($"tenants {done}/{total} · {staged:N0} documents staged · {done / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0} tenants/s");
            }
        }
        finally
        {
            await stop.CancelAsync(); // a write that failed for good stops the producer too
            await Task.WhenAny(producer);
        }

        await producer; // its failure (a damaged source document) is the run's
        return claimed;
    }

    /// <summary>The producer: staged tenants in key order, mapped a batch at a time, handed over through the channel.</summary>
    private async Task ProduceAsync(ImportRun run, ImportStaging staging, string? only, HashSet<string> claimed, SemaphoreSlim mapping,
        ChannelWriter<PreparedBatch> writer, CancellationToken cancellationToken)
    {
        try
        {
            var phase = Stopwatch.StartNew();
            var size = Math.Max(1, run.Options.Batch);
            var batch = new List<TenantSource>(size);
            foreach (var (key, documents) in staging.Tenants(only))
            {
                batch.Add(new TenantSource(key, documents, []));
                if (batch.Count == size)
                {
                    await HandOverAsync();
                }
            }

            if (batch.Count > 0)
            {
                await HandOverAsync();
            }

            writer.Complete();

            async Task HandOverAsync()
            {
                run.Timings.Reading += phase.Elapsed.TotalSeconds;
                await mapping.WaitAsync(cancellationToken);
                PreparedBatch prepared;
                try
                {
                    prepared = await PrepareAsync(run, [.. batch], bulk: true, claimed,
                        (source, integrationId) => source.Files[integrationId] = staging.FilesOf(integrationId), cancellationToken);
                }
                finally
                {
                    mapping.Release();
                }

                await writer.WriteAsync(prepared, cancellationToken);
                batch.Clear();
                phase.Restart();
            }

        }
        catch (Exception e)
        {
            writer.TryComplete(e);
            throw;
        }
    }

    /// <summary>Maps a batch of tenants, staging their writes in a context of its own (nothing is read from the staging store here).</summary>
    private async Task<PreparedBatch> PrepareAsync(ImportRun run, IReadOnlyList<TenantSource> sources, bool bulk, HashSet<string> claimed,
        Func<TenantSource, string, List<(string Collection, MongoDB.Bson.BsonDocument Document)>> filesOf, CancellationToken cancellationToken)
    {
        // A fresh context per batch keeps the change tracker (and memory) small.
        var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MwapDbContext>();
        var phase = Stopwatch.StartNew();
        var existing = await ExistingRows.LoadManyAsync(db, [.. sources.Select(s => s.Key[2..]).Where(run.TenantsHere.Contains)], cancellationToken);
        run.Timings.Existing += phase.Elapsed.TotalSeconds;
        phase.Restart();
        var batch = new PreparedBatch(scope, new ImportWrites(db, run, bulk), bulk, sources);
        foreach (var source in sources)
        {
            claimed.Add(source.Key);
            var tenant = new TenantImport(db, run, batch.Writes);
            tenant.Map(source.Key[2..], source.Documents, integrationId =>
            {
                claimed.Add("i:" + integrationId);
                return filesOf(source, integrationId);
            }, existing.GetValueOrDefault(source.Key[2..]) ?? ExistingRows.None);
            batch.Tenants.Add((source.Key[2..], tenant));
        }

        run.Timings.Mapping += phase.Elapsed.TotalSeconds;
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

    /// <summary>A staged tenant's documents, and the files read for it under its integrations' keys (kept for a redo).</summary>
    private sealed record TenantSource(string Key, List<(string Collection, MongoDB.Bson.BsonDocument Document)> Documents,
        Dictionary<string, List<(string Collection, MongoDB.Bson.BsonDocument Document)>> Files);

    private sealed class PreparedBatch(AsyncServiceScope scope, ImportWrites writes, bool bulk, IReadOnlyList<TenantSource> sources) : IAsyncDisposable
    {
        public ImportWrites Writes { get; } = writes;
        public bool Bulk { get; } = bulk;
        public IReadOnlyList<TenantSource> Sources { get; } = sources;
        public List<(string Id, TenantImport Import)> Tenants { get; } = [];

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A bulk batch of {Tenants} tenants failed; importing them one at a time")]
    private static partial void LogBatchFallback(ILogger logger, int tenants, Exception exception);
}
