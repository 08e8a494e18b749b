using MongoDB.Bson;
using Mwap.Api.Features.Tenants;
using Mwap.Api.Infrastructure.Persistence;
using static Mwap.Api.Features.Import.BsonFields;

namespace Mwap.Api.Features.Import;

/// <summary>
/// One tenant with its integrations, projects (and members), files and audit rows, in one transaction: an
/// interrupted import leaves whole tenants, and the next run continues with the rest.
/// </summary>
internal sealed partial class TenantImport(MwapDbContext db, ImportRun run, ImportWrites writes)
{
    private readonly ImportReport _delta = new();
    private Dictionary<(string, string), ImportRecord> _ledger = [];

    /// <summary>What this tenant's import did; merged into the run's report once its batch has committed.</summary>
    public ImportReport Delta => _delta;

    /// <summary>Maps the tenant's documents and stages its writes in the batch's <see cref="ImportWrites"/> (nothing is written here).</summary>
    public void Map(string tenantId, List<(string Collection, BsonDocument Document)> docs,
        Func<string, List<(string Collection, BsonDocument Document)>> filesOf, ExistingRows existing)
    {
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
                return;
            }

            Apply(TenantMapping.TenantDocs, "tenants", tenantId, mapped, existing.Tenant, existing.Tenant?.Version.ToString(Inv), Fingerprint(tenantDocs[0], ""));
        }
        else if (existing.Tenant is null)
        {
            SkipAll(rest, $"tenant {tenantId} is neither in the source nor here");
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
    }

    /// <summary>The report for a tenant whose transaction failed: its documents read, the tenant skipped with the reason.</summary>
    public ImportReport Failed(string tenantId, Exception e)
    {
        var failed = new ImportReport();
        foreach (var (collection, count) in _delta.Collections)
        {
            failed.For(collection).Read = count.Read;
        }

        failed.Note(TenantMapping.TenantDocs, tenantId, NoteKinds.Skipped,
            "the tenant's transaction failed and was rolled back: " + Cut((e.InnerException ?? e).Message, 300));
        LogTenantFailed(run.Logger, tenantId, e);
        return failed;
    }

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

        var row = decision == Decision.Insert ? mapped : current!;
        if (decision == Decision.Insert)
        {
            writes.Insert(mapped);
        }
        else
        {
            EntityCopy.Overwrite(db, current!, mapped);
        }

        var isNew = record is null;
        record ??= new ImportRecord { TenantId = mapped is Tenant t ? t.Id : ((ITenantOwned)mapped).TenantId, Table = table, RowId = id };
        record.Fingerprint = fingerprint;
        record.ImportedAt = run.Now;
        if (decision == Decision.Insert)
        {
            // A new row is written as mapped: its stamp is known before the write.
            record.Stamp = ImportWrites.Stamp(row);
        }
        else
        {
            writes.StampAfterSave(record, row);
        }

        if (isNew)
        {
            if (decision == Decision.Insert)
            {
                writes.Insert(record);
            }
            else
            {
                db.Add(record);
            }
        }

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
