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
    /// Tenants in batches, one transaction each, through a three-stage pipeline joined by bounded channels: a reader
    /// takes the staged tenants in one pass and parses them, a mapper maps each batch (secrets included), and this loop
    /// writes the batch before; reading, mapping and the database's work overlap, and at most two batches wait between
    /// the stages, so memory stays bounded. Mapping (which reads and updates the run's names and owners) is done by one
    /// at a time: the mapper, or the tenant-by-tenant redo of a failed batch, which reads its tenants again through the
    /// staging store's look-up connection.
    /// </summary>
    private async Task<HashSet<string>> ImportTenantsAsync(ImportRun run, ImportStaging staging, long staged, TextWriter progress, CancellationToken cancellationToken)
    {
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var only = run.Options.Tenant is null ? null : "t:" + run.Options.Tenant;
        var total = staging.TenantCount();
        var clock = Stopwatch.StartNew();
        var done = 0;
        var read = Channel.CreateBounded<List<TenantSource>>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var mapped = Channel.CreateBounded<PreparedBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var mapping = new SemaphoreSlim(1, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(() => ReadTenantsAsync(run, staging, only, read.Writer, stop.Token), stop.Token);
        var mapper = Task.Run(() => MapTenantsAsync(run, staging, claimed, mapping, read.Reader, mapped.Writer, stop.Token), stop.Token);
        try
        {
            var waiting = Stopwatch.StartNew();
            await foreach (var prepared in mapped.Reader.ReadAllAsync(cancellationToken))
            {
                run.Timings.Waiting += waiting.Elapsed.TotalSeconds;
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
                    LogBatchFallback(logger, prepared.Keys.Count, e);
                    await mapping.WaitAsync(cancellationToken);
                    try
                    {
                        foreach (var key in prepared.Keys)
                        {
                            await using var single = await PrepareAsync(run, [new TenantSource(key, staging.Documents(key))], bulk: false, claimed,
                                staging.FilesOf, cancellationToken);
                            await CommitAsync(run, single, cancellationToken);
                        }
                    }
                    finally
                    {
                        mapping.Release();
                    }
                }

                done += prepared.Keys.Count;
                progress.WriteLine($"tenants {done}/{total} · {staged:N0} documents staged · {done / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0} tenants/s");
                waiting.Restart();
            }
        }
        finally
        {
            // A write that failed for good stops the other stages too; what they had mapped is let go.
            await stop.CancelAsync();
            await Task.WhenAll(reader, mapper).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            while (mapped.Reader.TryRead(out var left))
            {
                await left.DisposeAsync();
            }
        }

        await Task.WhenAll(reader, mapper); // their failure (a damaged source document) is the run's
        return claimed;
    }

    /// <summary>The reader: staged tenants in key order, parsed, in batches.</summary>
    private static async Task ReadTenantsAsync(ImportRun run, ImportStaging staging, string? only, ChannelWriter<List<TenantSource>> writer,
        CancellationToken cancellationToken)
    {
        try
        {
            var phase = Stopwatch.StartNew();
            var size = Math.Max(1, run.Options.Batch);
            var batch = new List<TenantSource>(size);
            foreach (var (key, documents) in staging.Tenants(only))
            {
                batch.Add(new TenantSource(key, documents));
                if (batch.Count == size)
                {
                    run.Timings.Reading += phase.Elapsed.TotalSeconds;
                    await writer.WriteAsync(batch, cancellationToken);
                    batch = new List<TenantSource>(size);
                    phase.Restart();
                }
            }

            if (batch.Count > 0)
            {
                run.Timings.Reading += phase.Elapsed.TotalSeconds;
                await writer.WriteAsync(batch, cancellationToken);
            }

            writer.Complete();
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
            throw;
        }
    }

    /// <summary>The mapper: each batch read, mapped into the writes of its transaction (the documents go once mapped).</summary>
    private async Task MapTenantsAsync(ImportRun run, ImportStaging staging, HashSet<string> claimed, SemaphoreSlim mapping,
        ChannelReader<List<TenantSource>> reader, ChannelWriter<PreparedBatch> writer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var batch in reader.ReadAllAsync(cancellationToken))
            {
                await mapping.WaitAsync(cancellationToken);
                PreparedBatch prepared;
                try
                {
                    prepared = await PrepareAsync(run, batch, bulk: true, claimed, staging.FilesOf, cancellationToken);
                }
                finally
                {
                    mapping.Release();
                }

                try
                {
                    await writer.WriteAsync(prepared, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    await prepared.DisposeAsync();
                    throw;
                }
            }

            writer.Complete();
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
            throw;
        }
    }

    /// <summary>Maps a batch of tenants, staging their writes in a context of its own (nothing is read from the staging store here).</summary>
    private async Task<PreparedBatch> PrepareAsync(ImportRun run, IReadOnlyList<TenantSource> sources, bool bulk, HashSet<string> claimed,
        Func<string, List<(string Collection, MongoDB.Bson.BsonDocument Document)>> filesOf, CancellationToken cancellationToken)
    {
        // A fresh context per batch keeps the change tracker (and memory) small.
        var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MwapDbContext>();
        var phase = Stopwatch.StartNew();
        var existing = await ExistingRows.LoadManyAsync(db, [.. sources.Select(s => s.Key[2..]).Where(run.TenantsHere.Contains)], cancellationToken);
        run.Timings.Existing += phase.Elapsed.TotalSeconds;
        phase.Restart();
        var batch = new PreparedBatch(scope, new ImportWrites(db, run, bulk), bulk, [.. sources.Select(s => s.Key)]);
        foreach (var source in sources)
        {
            claimed.Add(source.Key);
            var tenant = new TenantImport(db, run, batch.Writes);
            tenant.Map(source.Key[2..], source.Documents, integrationId =>
            {
                claimed.Add("i:" + integrationId);
                return filesOf(integrationId);
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

    /// <summary>A staged tenant's documents (dropped once mapped: a redo reads them again).</summary>
    private sealed record TenantSource(string Key, List<(string Collection, MongoDB.Bson.BsonDocument Document)> Documents);

    private sealed class PreparedBatch(AsyncServiceScope scope, ImportWrites writes, bool bulk, IReadOnlyList<string> keys) : IAsyncDisposable
    {
        public ImportWrites Writes { get; } = writes;
        public bool Bulk { get; } = bulk;
        public IReadOnlyList<string> Keys { get; } = keys;
        public List<(string Id, TenantImport Import)> Tenants { get; } = [];

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A bulk batch of {Tenants} tenants failed; importing them one at a time")]
    private static partial void LogBatchFallback(ILogger logger, int tenants, Exception exception);
}
