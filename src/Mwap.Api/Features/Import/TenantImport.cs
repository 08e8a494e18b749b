using Microsoft.EntityFrameworkCore;
using MongoDB.Bson;
using Mwap.Api.Features.Files;
using Mwap.Api.Features.Projects;
using Mwap.Api.Features.Tenants;
using Mwap.Api.Infrastructure.Persistence;
using static Mwap.Api.Features.Import.BsonFields;

namespace Mwap.Api.Features.Import;

/// <summary>
/// One tenant with its integrations, projects (and members), files and audit rows, in one transaction: an
/// interrupted import leaves whole tenants, and the next run continues with the rest.
/// </summary>
internal sealed partial class TenantImport(MwapDbContext db, ImportRun run)
{
    private readonly ImportReport _delta = new();
    private readonly List<(ImportRecord Record, object Entity)> _written = [];
    private readonly List<string> _memberResets = [];
    private Dictionary<(string, string), ImportRecord> _ledger = [];

    public async Task ImportAsync(string tenantId, List<(string Collection, BsonDocument Document)> docs,
        Func<string, List<(string Collection, BsonDocument Document)>> filesOf, CancellationToken cancellationToken)
    {
        var here = run.TenantsHere.Contains(tenantId);
        var existing = here ? await ExistingRows.LoadAsync(db, tenantId, cancellationToken) : ExistingRows.None;
        _ledger = existing.Ledger;
        foreach (var (collection, _) in docs)
        {
            _delta.For(collection).Read++;
        }

        var tenantDocs = docs.Where(d => d.Collection == TenantMapping.TenantDocs).Select(d => d.Document).ToList();
        var rest = docs.Where(d => d.Collection != TenantMapping.TenantDocs).ToList();
        foreach (var duplicate in tenantDocs.Skip(1))
        {
            _delta.Note(TenantMapping.TenantDocs, tenantId, NoteKinds.Skipped, "a second document with the same _id");
        }

        if (tenantDocs.Count > 0)
        {
            if (BsonFields.Id(tenantDocs[0].GetValue("_id", BsonNull.Value), out var derived) is not null && derived)
            {
                _delta.Note(TenantMapping.TenantDocs, tenantId, NoteKinds.Normalised, $"_id '{CatalogueImport.IdText(tenantDocs[0])}' is not an ObjectId; imported as {tenantId}");
            }

            var mapped = TenantMapping.MapTenant(run, _delta, tenantId, tenantDocs[0]);
            if (mapped is null)
            {
                SkipAll(rest, $"its tenant {tenantId} was skipped");
                run.Report.Merge(_delta);
                return;
            }

            Apply(TenantMapping.TenantDocs, "tenants", tenantId, mapped, existing.Tenant, existing.Tenant?.Version.ToString(Inv), Fingerprint(tenantDocs[0], ""));
        }
        else if (existing.Tenant is null)
        {
            SkipAll(rest, $"tenant {tenantId} is neither in the source nor here");
            run.Report.Merge(_delta);
            return;
        }

        var integrations = ImportIntegrations(tenantId, rest, existing);
        ImportProjects(tenantId, rest, existing, integrations);
        var files = rest.Where(d => d.Collection == IntegrationMapping.FileDocs).ToList();
        foreach (var integrationId in integrations.Values.Distinct())
        {
            var staged = filesOf(integrationId);
            foreach (var (collection, _) in staged)
            {
                _delta.For(collection).Read++;
            }

            files.AddRange(staged);
        }

        ImportFiles(tenantId, files, existing, integrations);
        ImportAudit(tenantId, rest.Where(d => d.Collection == IntegrationMapping.AuditDocs), existing);
        if (!run.Options.DryRun)
        {
            try
            {
                await WriteAsync(cancellationToken);
            }
            catch (DbUpdateException e)
            {
                db.ChangeTracker.Clear();
                var failed = new ImportReport();
                foreach (var (collection, count) in _delta.Collections)
                {
                    failed.For(collection).Read = count.Read;
                }

                failed.Note(TenantMapping.TenantDocs, tenantId, NoteKinds.Skipped,
                    "the tenant's transaction failed and was rolled back: " + Cut((e.InnerException ?? e).Message, 300));
                run.Report.Merge(failed);
                LogTenantFailed(run.Logger, tenantId, e);
                return;
            }
        }

        db.ChangeTracker.Clear();
        run.Report.Merge(_delta);
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            // A crash can lose the last commits, never half a tenant; the next run redoes what is missing.
            await db.Database.ExecuteSqlRawAsync("SET LOCAL synchronous_commit = off", cancellationToken);
        }

        foreach (var projectId in _memberResets)
        {
            await db.Set<ProjectMember>().Where(m => m.ProjectId == projectId).ExecuteDeleteAsync(cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var (record, entity) in _written)
        {
            record.Stamp = Stamp(entity);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static string Stamp(object entity) => entity switch
    {
        IVersioned versioned => versioned.Version.ToString(Inv),
        VirtualFile file => file.IndexedAt.Ticks.ToString(Inv),
        _ => "",
    };

    private static readonly System.Globalization.CultureInfo Inv = System.Globalization.CultureInfo.InvariantCulture;

    private void SkipAll(IEnumerable<(string Collection, BsonDocument Document)> docs, string reason)
    {
        foreach (var (collection, doc) in docs)
        {
            _delta.Note(collection, Id(doc, "_id") ?? CatalogueImport.IdText(doc), NoteKinds.Skipped, reason);
        }
    }

    /// <summary>Counts the decision and stages the write; the ledger record gets its stamp once the row is saved.</summary>
    private Decision Apply<T>(string collection, string table, string id, T mapped, T? current, string? stamp, string fingerprint) where T : class
    {
        _ledger.TryGetValue((table, id), out var record);
        var decision = Ledger.Decide(run, _delta, collection, id, current is not null, record, stamp, fingerprint);
        Ledger.Count(_delta, collection, decision);
        if (decision is Decision.Unchanged or Decision.Conflict)
        {
            return decision;
        }

        if (decision == Decision.Insert)
        {
            db.Add(mapped);
        }
        else
        {
            EntityCopy.Overwrite(db, current!, mapped);
        }

        if (record is null)
        {
            record = new ImportRecord { TenantId = mapped is Tenant t ? t.Id : ((ITenantOwned)mapped).TenantId, Table = table, RowId = id };
            db.Add(record);
        }

        record.Fingerprint = fingerprint;
        record.ImportedAt = run.Now;
        _written.Add((record, decision == Decision.Insert ? mapped : current!));
        return decision;
    }

    private string? DocumentId(string collection, BsonDocument doc, HashSet<string> seen)
    {
        var id = BsonFields.Id(doc.GetValue("_id", BsonNull.Value), out var derived);
        if (id is null)
        {
            _delta.Note(collection, CatalogueImport.IdText(doc), NoteKinds.Skipped, "no _id");
            return null;
        }

        if (!seen.Add(id))
        {
            _delta.Note(collection, id, NoteKinds.Skipped, "a second document with the same _id (MWAP's string and ObjectId forms name one record)");
            return null;
        }

        if (derived)
        {
            _delta.Note(collection, id, NoteKinds.Normalised, $"_id '{CatalogueImport.IdText(doc)}' is not an ObjectId; imported as {id}");
        }

        return id;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import of tenant {TenantId} rolled back")]
    private static partial void LogTenantFailed(ILogger logger, string tenantId, Exception exception);
}
