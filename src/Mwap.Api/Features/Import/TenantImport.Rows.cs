using Microsoft.EntityFrameworkCore;
using MongoDB.Bson;
using Mwap.Api.Features.Files;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Projects;
using Mwap.Api.Features.Tenants;
using Mwap.Api.Infrastructure.Persistence;
using static Mwap.Api.Features.Import.BsonFields;

namespace Mwap.Api.Features.Import;

/// <summary>A tenant's rows already here (read only for tenants a previous run or the server wrote).</summary>
internal sealed record ExistingRows(
    Tenant? Tenant,
    Dictionary<string, CloudIntegration> Integrations,
    Dictionary<string, Project> Projects,
    Dictionary<string, VirtualFile> Files,
    HashSet<string> AuditIds,
    Dictionary<(string, string), ImportRecord> Ledger)
{
    public static ExistingRows None => new(null, [], [], [], [], []);

    /// <summary>
    /// The rows of several tenants in one query per table (tracked: an update writes over them). Only tenants a previous
    /// run or the server wrote are asked for; a first import reads nothing here.
    /// </summary>
    public static async Task<Dictionary<string, ExistingRows>> LoadManyAsync(MwapDbContext db, IReadOnlyCollection<string> tenantIds, CancellationToken ct)
    {
        var result = new Dictionary<string, ExistingRows>(StringComparer.Ordinal);
        if (tenantIds.Count == 0)
        {
            return result;
        }

        var ids = tenantIds.ToList();
        var tenants = await db.Tenants.Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        var integrations = (await db.Set<CloudIntegration>().Where(i => ids.Contains(i.TenantId)).ToListAsync(ct)).ToLookup(i => i.TenantId);
        var projects = (await db.Set<Project>().Where(p => ids.Contains(p.TenantId)).ToListAsync(ct)).ToLookup(p => p.TenantId);
        var files = (await db.Set<VirtualFile>().Where(f => ids.Contains(f.TenantId)).ToListAsync(ct)).ToLookup(f => f.TenantId);
        var audit = (await db.AuditLogs.Where(a => ids.Contains(a.TenantId!)).Select(a => new { a.TenantId, a.Id }).ToListAsync(ct)).ToLookup(a => a.TenantId!, a => a.Id);
        var ledger = (await db.Set<ImportRecord>().Where(r => ids.Contains(r.TenantId)).ToListAsync(ct)).ToLookup(r => r.TenantId);
        foreach (var id in ids)
        {
            result[id] = new ExistingRows(
                tenants.GetValueOrDefault(id),
                integrations[id].ToDictionary(i => i.Id, StringComparer.Ordinal),
                projects[id].ToDictionary(p => p.Id, StringComparer.Ordinal),
                files[id].ToDictionary(f => f.Id, StringComparer.Ordinal),
                audit[id].ToHashSet(StringComparer.Ordinal),
                ledger[id].ToDictionary(r => (r.Table, r.RowId)));
        }

        return result;
    }
}

internal sealed partial class TenantImport
{
    /// <summary>Imports the tenant's integrations; returns every id a project or file may name → the integration it means here.</summary>
    private Dictionary<string, string> ImportIntegrations(string tenantId, List<(string Collection, BsonDocument Document)> docs, ExistingRows existing)
    {
        var resolve = existing.Integrations.Keys.ToDictionary(id => id, id => id, StringComparer.Ordinal);
        var byProvider = existing.Integrations.Values.ToDictionary(i => i.ProviderId, i => i.Id, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (collection, doc) in docs.Where(d => d.Collection is IntegrationMapping.IntegrationDocs or IntegrationMapping.GuideIntegrationDocs))
        {
            if (DocumentId(collection, doc, seen) is not { } id)
            {
                continue;
            }

            existing.Integrations.TryGetValue(id, out var current);
            if (IntegrationMapping.MapIntegration(run, _delta, collection, tenantId, id, doc, current) is not { } mapped)
            {
                continue;
            }

            var integration = mapped.Integration;
            if (byProvider.TryGetValue(integration.ProviderId, out var other) && other != id)
            {
                // One integration per tenant and provider here; MWAP did not enforce it. References follow the one kept.
                resolve[id] = other;
                _delta.Note(collection, id, NoteKinds.Skipped, $"tenant {tenantId} already has integration {other} with this provider; projects and files naming {id} use {other}");
                continue;
            }

            byProvider[integration.ProviderId] = id;
            resolve[id] = id;
            Apply(collection, CloudIntegration.TableName, id, integration, current, current?.Version.ToString(Inv),
                Fingerprint(doc, SecretCarrier.Outcome(mapped.SecretProblem)));
        }

        return resolve;
    }

    private void ImportProjects(string tenantId, List<(string Collection, BsonDocument Document)> docs, ExistingRows existing, Dictionary<string, string> integrations)
    {
        var projectDocs = docs.Where(d => d.Collection == TenantMapping.ProjectDocs).ToList();
        var incoming = projectDocs.Select(d => Id(d.Document, "_id")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var names = existing.Projects.Values.Where(p => !incoming.Contains(p.Id)).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (collection, doc) in projectDocs)
        {
            if (DocumentId(collection, doc, seen) is not { } id)
            {
                continue;
            }

            var mapped = TenantMapping.MapProject(run, _delta, tenantId, id, doc,
                raw => raw is not null && integrations.TryGetValue(raw, out var resolved) ? resolved : null, names);
            if (mapped is null)
            {
                continue;
            }

            var (project, members) = mapped.Value;
            if (project.CloudIntegrationId != (Id(doc, "cloudIntegrationId") ?? project.CloudIntegrationId))
            {
                _delta.Note(collection, id, NoteKinds.Normalised, $"integration rewired to {project.CloudIntegrationId}");
            }

            existing.Projects.TryGetValue(id, out var current);
            var decision = Apply(collection, "projects", id, project, current, current?.Version.ToString(Inv), Fingerprint(doc, ""));
            if (decision == Decision.Update)
            {
                writes.ResetMembers(id);
            }

            if (decision is Decision.Insert or Decision.Update)
            {
                foreach (var member in members)
                {
                    writes.Insert(member);
                }
            }
        }
    }

    private void ImportFiles(string tenantId, List<(string Collection, BsonDocument Document)> docs, ExistingRows existing, Dictionary<string, string> integrations)
    {
        var byProviderId = existing.Files.Values.ToDictionary(f => (f.IntegrationId, f.ProviderFileId), f => f.Id);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (collection, doc) in docs)
        {
            if (DocumentId(collection, doc, seen) is not { } id)
            {
                continue;
            }

            var raw = Id(doc, "integrationId");
            if (raw is null || !integrations.TryGetValue(raw, out var integrationId))
            {
                _delta.Note(collection, id, NoteKinds.Skipped, $"cloud integration {raw ?? "(none)"} not found in tenant {tenantId}");
                continue;
            }

            if (IntegrationMapping.MapFile(run, _delta, tenantId, id, integrationId, doc) is not { } file)
            {
                continue;
            }

            if (byProviderId.TryGetValue((integrationId, file.ProviderFileId), out var other) && other != id)
            {
                _delta.Note(collection, id, NoteKinds.Skipped, $"the same provider file is already indexed as {other}");
                continue;
            }

            byProviderId[(integrationId, file.ProviderFileId)] = id;
            existing.Files.TryGetValue(id, out var current);
            Apply(collection, VirtualFile.TableName, id, file, current, current?.IndexedAt.Ticks.ToString(Inv), Fingerprint(doc, ""));
        }
    }

    private void ImportAudit(string tenantId, IEnumerable<(string Collection, BsonDocument Document)> docs, ExistingRows existing)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (collection, doc) in docs)
        {
            if (DocumentId(collection, doc, seen) is not { } id || IntegrationMapping.MapAudit(run, _delta, tenantId, id, doc) is not { } entry)
            {
                continue;
            }

            // Audit rows never change: present means imported before.
            if (existing.AuditIds.Contains(id))
            {
                _delta.For(collection).Unchanged++;
                continue;
            }

            writes.Insert(entry);
            _delta.For(collection).Imported++;
        }
    }
}
