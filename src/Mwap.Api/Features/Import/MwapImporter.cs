using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using MongoDB.Bson;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.Tenants;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;
using static Mwap.Api.Features.Import.BsonFields;

namespace Mwap.Api.Features.Import;

/// <summary>
/// The <c>import mwap</c> use case: stage the source by tenant, import the platform's catalogues, then each tenant in
/// its own transaction, and record a <c>platform.import</c> audit entry with the counts.
/// </summary>
internal sealed partial class MwapImporter(IServiceScopeFactory scopes, ISecretProtector protector, TimeProvider time, ILogger<MwapImporter> logger)
{
    private static readonly string[] Catalogues = [CatalogueImport.ProjectTypes, CatalogueImport.CloudProviders, CatalogueImport.SuperAdmins];

    public async Task<ImportReport> RunAsync(ImportOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var report = new ImportReport
        {
            Source = options.Source,
            SourceKind = MwapSource.Describe(options.Source),
            DryRun = options.DryRun,
            Overwrite = options.Overwrite,
            Tenant = options.Tenant,
        };
        var run = new ImportRun(options, report, new LegacySecrets(options.LegacyKey), protector, time.GetUtcNow().UtcDateTime, logger);
        using var staging = new ImportStaging(options.WorkDirectory ?? Path.GetTempPath());
        var staged = Stage(options.Source, staging, report, progress);
        staging.Seal();
        run.Timings.Staging = clock.Elapsed.TotalSeconds;

        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MwapDbContext>();
            await LoadPlatformStateAsync(db, run, cancellationToken);
            await new CatalogueImport(db, run).ImportAsync(
                [.. staging.Documents(ImportStaging.Platform).Where(d => Catalogues.Contains(d.Collection))], cancellationToken);
            await ImportPlatformAuditAsync(db, run, staging.Stream(ImportStaging.PlatformAudit), cancellationToken);
        }

        var claimed = await ImportTenantsAsync(run, staging, staged, progress, cancellationToken);
        AccountForUnclaimed(run, staging, claimed);
        report.Seconds = clock.Elapsed.TotalSeconds;
        progress.WriteLine(run.Timings.Describe(report.Seconds));
        if (!options.DryRun)
        {
            await RecordAuditAsync(report, cancellationToken);
        }

        return report;
    }

    private static long Stage(string source, ImportStaging staging, ImportReport report, TextWriter progress)
    {
        var clock = Stopwatch.StartNew();
        long total = 0;
        string? current = null;
        long inCollection = 0;
        foreach (var (collection, bson) in MwapSource.Read(source))
        {
            if (collection != current)
            {
                Flush();
                current = collection;
                inCollection = 0;
            }

            inCollection++;
            total++;
            if (StagingKey(collection, bson) is { } key)
            {
                staging.Add(key, collection, bson);
            }
            else
            {
                report.UnknownCollections[collection] = report.UnknownCollections.GetValueOrDefault(collection) + 1;
            }
        }

        Flush();
        return total;

        void Flush()
        {
            if (current is not null)
            {
                progress.WriteLine($"read {current}: {inCollection} documents ({total / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0} documents/s overall)");
            }
        }
    }

    /// <summary>Where a document waits for its tenant; null for a collection the import does not know.</summary>
    private static string? StagingKey(string collection, byte[] bson)
    {
        string Tenant(BsonValue? id, string fallback) => Id(id, out _) is { } tenant ? "t:" + tenant : fallback;
        var known = collection is TenantMapping.TenantDocs or TenantMapping.ProjectDocs or IntegrationMapping.IntegrationDocs
            or IntegrationMapping.GuideIntegrationDocs or IntegrationMapping.FileDocs or IntegrationMapping.AuditDocs;
        var fields = known ? StagingFields.Read(bson, collection) : default;
        return collection switch
        {
            TenantMapping.TenantDocs => Tenant(fields.Id, ImportStaging.Orphans),
            TenantMapping.ProjectDocs or IntegrationMapping.IntegrationDocs or IntegrationMapping.GuideIntegrationDocs
                => Tenant(fields.TenantId, ImportStaging.Orphans),
            IntegrationMapping.FileDocs => Tenant(fields.TenantId, Id(fields.IntegrationId, out _) is { } i ? "i:" + i : ImportStaging.Orphans),
            IntegrationMapping.AuditDocs => Tenant(fields.TenantId, ImportStaging.PlatformAudit),
            CatalogueImport.ProjectTypes or CatalogueImport.CloudProviders or CatalogueImport.SuperAdmins => ImportStaging.Platform,
            _ => null,
        };
    }

    private static async Task LoadPlatformStateAsync(MwapDbContext db, ImportRun run, CancellationToken cancellationToken)
    {
        foreach (var t in await db.Tenants.AsNoTracking().Select(t => new { t.Id, t.Name, t.OwnerId }).ToListAsync(cancellationToken))
        {
            run.TenantNames[Tenant.NormalizeName(t.Name)] = t.Id;
            run.TenantOwners[t.OwnerId] = t.Id;
            run.TenantsHere.Add(t.Id);
        }

        // Rows of a tenant deleted here since an earlier import (its ledger and audit rows outlive it) must be read too.
        run.TenantsHere.UnionWith(await db.Set<ImportRecord>().Where(r => r.TenantId != "").Select(r => r.TenantId).Distinct().ToListAsync(cancellationToken));
        run.TenantsHere.UnionWith(await db.AuditLogs.Where(a => a.TenantId != null).Select(a => a.TenantId!).Distinct().ToListAsync(cancellationToken));
    }

    private static async Task ImportPlatformAuditAsync(MwapDbContext db, ImportRun run, IEnumerable<(string Collection, BsonDocument Document)> docs,
        CancellationToken cancellationToken)
    {
        foreach (var chunk in docs.Chunk(1000))
        {
            var delta = new ImportReport();
            var entries = new List<AuditLogEntry>();
            foreach (var (collection, doc) in chunk)
            {
                delta.For(collection).Read++;
                if (Id(doc.GetValue("_id", BsonNull.Value), out _) is not { } id)
                {
                    delta.Note(collection, CatalogueImport.IdText(doc), NoteKinds.Skipped, "no _id");
                }
                else if (IntegrationMapping.MapAudit(run, delta, null, id, doc) is { } entry)
                {
                    entries.Add(entry);
                }
            }

            var ids = entries.Select(e => e.Id).ToList();
            var present = (await db.AuditLogs.Where(a => ids.Contains(a.Id)).Select(a => a.Id).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            foreach (var entry in entries.DistinctBy(e => e.Id))
            {
                if (present.Contains(entry.Id))
                {
                    delta.For(IntegrationMapping.AuditDocs).Unchanged++;
                }
                else
                {
                    db.AuditLogs.Add(entry);
                    delta.For(IntegrationMapping.AuditDocs).Imported++;
                }
            }

            if (!run.Options.DryRun)
            {
                await db.SaveChangesAsync(cancellationToken);
            }

            db.ChangeTracker.Clear();
            run.Report.Merge(delta);
        }
    }

    /// <summary>Files of an integration no tenant had, and rows with no tenant id at all: reported one by one, never silently dropped.</summary>
    private static void AccountForUnclaimed(ImportRun run, ImportStaging staging, HashSet<string> claimed)
    {
        if (run.Options.Tenant is not null)
        {
            return;
        }

        var delta = new ImportReport();
        foreach (var key in staging.KeysWithPrefix("i:").Where(k => !claimed.Contains(k)).Append(ImportStaging.Orphans))
        {
            foreach (var (collection, doc) in staging.Stream(key))
            {
                delta.For(collection).Read++;
                delta.Note(collection, Id(doc, "_id") ?? CatalogueImport.IdText(doc), NoteKinds.Skipped,
                    key == ImportStaging.Orphans ? "no tenantId (or no _id for a tenant)" : $"cloud integration {key[2..]} not found");
            }
        }

        run.Report.Merge(delta);
    }

    private async Task RecordAuditAsync(ImportReport report, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MwapDbContext>();
        scope.ServiceProvider.GetRequiredService<IAuditLog>().Record("platform.import", "platform", null, null, new
        {
            source = report.SourceKind,
            report.Overwrite,
            report.Tenant,
            collections = report.Collections,
            unknownCollections = report.UnknownCollections,
            report.SecretsReencrypted,
            notes = report.Notes.Count,
            seconds = Math.Round(report.Seconds, 1),
        }, report.AnySkipped ? AuditOutcome.Failure : AuditOutcome.Success);
        await db.SaveChangesAsync(cancellationToken);
    }
}
