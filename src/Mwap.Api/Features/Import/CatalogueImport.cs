using Microsoft.EntityFrameworkCore;
using MongoDB.Bson;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.ProjectTypes;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;
using static Mwap.Api.Features.Import.BsonFields;

namespace Mwap.Api.Features.Import;

/// <summary>
/// The platform's catalogues (project types, cloud providers, superadmins), imported first and in one transaction:
/// every tenant's rows refer to them.
/// </summary>
internal sealed class CatalogueImport(MwapDbContext db, ImportRun run)
{
    public const string ProjectTypes = "projectTypes";
    public const string CloudProviders = "cloudProviders";
    public const string SuperAdmins = "superadmins";

    private readonly List<(ImportRecord Record, object Entity)> _written = [];

    public async Task ImportAsync(IReadOnlyList<(string Collection, BsonDocument Document)> documents, CancellationToken cancellationToken)
    {
        var ledger = await db.Set<ImportRecord>().Where(r => r.TenantId == "").ToDictionaryAsync(r => (r.Table, r.RowId), cancellationToken);
        var types = await db.Set<ProjectType>().ToListAsync(cancellationToken);
        var providers = await db.Set<CloudProvider>().ToListAsync(cancellationToken);
        var admins = (await db.SuperAdmins.Select(s => s.UserId).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        foreach (var type in types)
        {
            run.ProjectTypes.Add(type.Id);
        }

        foreach (var provider in providers)
        {
            run.Providers[provider.Id] = provider.Id;
        }

        var delta = run.Report;
        foreach (var (collection, doc) in documents)
        {
            delta.For(collection).Read++;
            switch (collection)
            {
                case ProjectTypes:
                    ProjectType(doc, types, ledger);
                    break;
                case CloudProviders:
                    Provider(doc, providers, ledger);
                    break;
                case SuperAdmins:
                    var userId = Str(doc, "userId")?.Trim();
                    if (string.IsNullOrEmpty(userId))
                    {
                        delta.Note(collection, IdText(doc), NoteKinds.Skipped, "no userId");
                    }
                    else if (!admins.Add(userId))
                    {
                        delta.For(collection).Unchanged++;
                    }
                    else
                    {
                        db.SuperAdmins.Add(new SuperAdmin { Id = Id(doc, "_id") ?? Infrastructure.Persistence.ObjectId.NewId(run.Now), UserId = userId, AddedBy = "mwap-import", CreatedAt = Date(doc, "createdAt") ?? run.Now });
                        delta.For(collection).Imported++;
                    }

                    break;
            }
        }

        if (run.Options.DryRun)
        {
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (record, entity) in _written)
        {
            record.Stamp = entity switch
            {
                ProjectType t => t.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                CloudProvider p => p.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => "",
            };
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    private void ProjectType(BsonDocument doc, List<ProjectType> existing, Dictionary<(string, string), ImportRecord> ledger)
    {
        var delta = run.Report;
        var id = Id(doc.GetValue("_id", BsonNull.Value), out var derived);
        if (id is null)
        {
            delta.Note(ProjectTypes, IdText(doc), NoteKinds.Skipped, "no _id");
            return;
        }

        var name = Str(doc, "name")?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            delta.Note(ProjectTypes, id, NoteKinds.Skipped, "no name");
            return;
        }

        NoteDerived(ProjectTypes, id, derived, doc);
        if (name.Length > 50)
        {
            delta.Note(ProjectTypes, id, NoteKinds.Normalised, $"name longer than 50 characters; cut");
            name = name[..50];
        }

        var clash = existing.FirstOrDefault(t => t.Name == name && t.Id != id);
        if (clash is not null)
        {
            var renamed = Cut(name, 43) + " " + id[^6..];
            delta.Note(ProjectTypes, id, NoteKinds.Normalised, $"name '{name}' is taken by project type {clash.Id}; imported as '{renamed}'");
            name = renamed;
        }

        var mapped = new ProjectType
        {
            Id = id,
            Name = name,
            Description = Cut(Str(doc, "description") ?? "", 500),
            // Stored as MWAP had it: a flat field map, a JSON Schema, or any object.
            ConfigSchema = JsonText(doc, "configSchema") ?? "{}",
            IsActive = Bool(doc, "isActive") ?? true,
            CreatedBy = Str(doc, "createdBy") ?? "mwap-import",
            CreatedAt = Date(doc, "createdAt") ?? run.Now,
            UpdatedAt = Date(doc, "updatedAt") ?? Date(doc, "createdAt") ?? run.Now,
        };
        var current = existing.FirstOrDefault(t => t.Id == id);
        Apply(ProjectTypes, "project_types", id, mapped, current, current?.Version, Fingerprint(doc, ""), ledger);
        if (current is null)
        {
            existing.Add(mapped);
        }

        run.ProjectTypes.Add(id);
    }

    private void Provider(BsonDocument doc, List<CloudProvider> existing, Dictionary<(string, string), ImportRecord> ledger)
    {
        var delta = run.Report;
        var id = Id(doc.GetValue("_id", BsonNull.Value), out var derived);
        var slug = Str(doc, "slug")?.Trim().ToLowerInvariant();
        var name = Str(doc, "name")?.Trim();
        if (id is null || string.IsNullOrEmpty(slug) || string.IsNullOrEmpty(name))
        {
            delta.Note(CloudProviders, id ?? IdText(doc), NoteKinds.Skipped, "no _id, slug or name");
            return;
        }

        NoteDerived(CloudProviders, id, derived, doc);
        var sameSlug = existing.FirstOrDefault(p => (p.Slug == slug || p.Name == name) && p.Id != id);
        if (sameSlug is not null)
        {
            // The platform already has this provider (seeded here): integrations that named MWAP's id now use ours.
            run.Providers[id] = sameSlug.Id;
            delta.Note(CloudProviders, id, NoteKinds.Normalised, $"provider '{slug}' already exists here as {sameSlug.Id}; its integrations are attached to that one");
            return;
        }

        var current = existing.FirstOrDefault(p => p.Id == id);
        var secret = SecretCarrier.Carry(run, delta, Str(doc, "clientSecret"), new SecretContext(CloudProvider.TableName, id, CloudProvider.ClientSecretField), out var problem);
        if (problem is not null)
        {
            delta.Note(CloudProviders, id, NoteKinds.Secret, current is null
                ? problem + "; imported without its client secret (set it with PATCH /cloud-providers/" + id + ")"
                : problem + "; the client secret already here is kept");
        }

        var mapped = new CloudProvider
        {
            Id = id,
            Name = Cut(name, 50),
            DisplayName = Str(doc, "displayName") is { } display ? Cut(display, 50) : null,
            Slug = Cut(slug, 20),
            Scopes = Strings(doc, "scopes"),
            AuthUrl = Str(doc, "authUrl") ?? "",
            TokenUrl = Str(doc, "tokenUrl") ?? "",
            ClientId = Str(doc, "clientId") ?? "",
            EncryptedClientSecret = secret ?? current?.EncryptedClientSecret ?? run.Protector.Protect("", new SecretContext(CloudProvider.TableName, id, CloudProvider.ClientSecretField)),
            GrantType = Str(doc, "grantType") ?? "authorization_code",
            TokenMethod = Str(doc, "tokenMethod") ?? "POST",
            Metadata = JsonText(doc, "metadata"),
            CreatedBy = Str(doc, "createdBy") ?? "mwap-import",
            CreatedAt = Date(doc, "createdAt") ?? run.Now,
            UpdatedAt = Date(doc, "updatedAt") ?? Date(doc, "createdAt") ?? run.Now,
        };
        Apply(CloudProviders, CloudProvider.TableName, id, mapped, current, current?.Version, Fingerprint(doc, SecretCarrier.Outcome(problem)), ledger);
        if (current is null)
        {
            existing.Add(mapped);
        }

        run.Providers[id] = id;
    }

    private void Apply<T>(string collection, string table, string id, T mapped, T? current, int? version, string fingerprint,
        Dictionary<(string, string), ImportRecord> ledger) where T : class, IVersioned
    {
        ledger.TryGetValue((table, id), out var record);
        var decision = Ledger.Decide(run, run.Report, collection, id, current is not null, record,
            version?.ToString(System.Globalization.CultureInfo.InvariantCulture), fingerprint);
        Ledger.Count(run.Report, collection, decision);
        if (decision == Decision.Insert)
        {
            db.Add(mapped);
        }
        else if (decision == Decision.Update)
        {
            EntityCopy.Overwrite(db, current!, mapped);
        }
        else
        {
            return;
        }

        if (record is null)
        {
            record = new ImportRecord { TenantId = "", Table = table, RowId = id };
            db.Add(record);
        }

        record.Fingerprint = fingerprint;
        record.ImportedAt = run.Now;
        _written.Add((record, decision == Decision.Insert ? mapped : current!));
    }

    private void NoteDerived(string collection, string id, bool derived, BsonDocument doc)
    {
        if (derived)
        {
            run.Report.Note(collection, id, NoteKinds.Normalised, $"_id '{IdText(doc)}' is not an ObjectId; imported as {id}");
        }
    }

    public static string IdText(BsonDocument doc) => Cut(doc.GetValue("_id", BsonNull.Value).ToString() ?? "", 64);
}
