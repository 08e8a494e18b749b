using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Files;
using Mwap.Api.Features.Projects;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Import;

/// <summary>
/// What a batch of tenants writes, committed in one transaction. New rows (most of a first import) are collected and
/// inserted in bulk (<see cref="BulkInsert"/>: binary COPY on PostgreSQL); rows that exist here are updated through the
/// change tracker, so versions move and the interceptor stamps them as any other update. With <c>bulk</c> off every
/// row goes through the change tracker: the fallback, one tenant at a time, when a bulk batch fails.
/// </summary>
internal sealed class ImportWrites(MwapDbContext db, ImportRun run, bool bulk)
{
    private readonly Dictionary<Type, List<object>> _inserts = [];
    private readonly List<string> _memberResets = [];
    private readonly List<(ImportRecord Record, object Entity)> _stampAfterSave = [];

    public int Inserted { get; private set; }

    /// <summary>A row that does not exist here yet.</summary>
    public void Insert(object entity)
    {
        Inserted++;
        if (!bulk)
        {
            db.Add(entity);
            return;
        }

        if (!_inserts.TryGetValue(entity.GetType(), out var rows))
        {
            _inserts[entity.GetType()] = rows = [];
        }

        rows.Add(entity);
    }

    /// <summary>A project being updated gets its members from the source again: the old rows go first.</summary>
    public void ResetMembers(string projectId) => _memberResets.Add(projectId);

    /// <summary>A ledger record whose row is updated here: its stamp is the row's version after the save.</summary>
    public void StampAfterSave(ImportRecord record, object entity) => _stampAfterSave.Add((record, entity));

    /// <summary>The stamp of a row as written: its version, or when a file was indexed.</summary>
    public static string Stamp(object entity) => entity switch
    {
        IVersioned versioned => versioned.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        VirtualFile file => file.IndexedAt.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "",
    };

    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (_memberResets.Count > 0)
        {
            await db.Set<ProjectMember>().Where(m => _memberResets.Contains(m.ProjectId)).ExecuteDeleteAsync(cancellationToken);
        }

        foreach (var type in InsertOrder.Types)
        {
            if (_inserts.TryGetValue(type, out var rows))
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var table = await BulkInsert.WriteAsync(db, type, rows, cancellationToken);
                run.Timings.Tables[table] = run.Timings.Tables.GetValueOrDefault(table) + clock.Elapsed.TotalSeconds;
            }
        }

        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(cancellationToken);
            if (_stampAfterSave.Count > 0)
            {
                foreach (var (record, entity) in _stampAfterSave)
                {
                    record.Stamp = Stamp(entity);
                }

                await db.SaveChangesAsync(cancellationToken);
            }
        }

        var commit = System.Diagnostics.Stopwatch.StartNew();
        await ImportMarker.TouchAsync(db, run, relaxCommit: db.Database.IsNpgsql(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        run.Timings.Committing += commit.Elapsed.TotalSeconds;
    }
}
