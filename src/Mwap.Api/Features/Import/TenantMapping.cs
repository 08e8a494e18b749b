using MongoDB.Bson;
using Mwap.Api.Features.Projects;
using Mwap.Api.Features.Tenants;
using static Mwap.Api.Features.Import.BsonFields;

namespace Mwap.Api.Features.Import;

/// <summary>MWAP's tenant and project documents (members embedded) to our rows, reporting whatever does not fit.</summary>
internal static class TenantMapping
{
    public const string TenantDocs = "tenants";
    public const string ProjectDocs = "projects";

    public static Tenant? MapTenant(ImportRun run, ImportReport delta, string id, BsonDocument doc)
    {
        var owner = Str(doc, "ownerId")?.Trim();
        var name = Str(doc, "name")?.Trim();
        if (string.IsNullOrEmpty(owner))
        {
            delta.Note(TenantDocs, id, NoteKinds.Skipped, "no ownerId");
            return null;
        }

        if (run.TenantOwners.TryGetValue(owner, out var owned) && owned != id)
        {
            delta.Note(TenantDocs, id, NoteKinds.Skipped, $"owner {owner} already owns tenant {owned} (one tenant per user)");
            return null;
        }

        name = string.IsNullOrEmpty(name) ? "Tenant " + id[^6..] : name;
        if (name.Length is < Tenant.NameMinLength or > Tenant.NameMaxLength)
        {
            var fixedName = name.Length > Tenant.NameMaxLength ? name[..Tenant.NameMaxLength] : name + " " + id[^6..];
            delta.Note(TenantDocs, id, NoteKinds.Normalised, $"name '{name}' is outside 3–50 characters; imported as '{fixedName}'");
            name = fixedName;
        }

        // Names are unique regardless of case here (the index is on the folded name), so a case variant is a clash too.
        if (run.TenantNames.TryGetValue(Tenant.NormalizeName(name), out var named) && named != id)
        {
            var renamed = Cut(name, 43) + " " + id[^6..];
            delta.Note(TenantDocs, id, NoteKinds.Normalised, $"name '{name}' is taken by tenant {named}; imported as '{renamed}'");
            name = renamed;
        }

        var maxProjects = Long(doc, "settings", "maxProjects") ?? TenantSettings.DefaultMaxProjects;
        if (maxProjects is < 1 or > 100)
        {
            delta.Note(TenantDocs, id, NoteKinds.Normalised, $"settings.maxProjects {maxProjects} is outside 1–100; clamped");
            maxProjects = Math.Clamp(maxProjects, 1, 100);
        }

        var retention = Long(doc, "settings", "retentionDays");
        var settings = new TenantSettings
        {
            AllowPublicProjects = Bool(doc, "settings", "allowPublicProjects") ?? false,
            MaxProjects = (int)maxProjects,
            RetentionDays = retention is > 0 and < 36_500 ? (int)retention : null,
            Features = new TenantFeatures
            {
                CloudIntegrations = Bool(doc, "settings", "features", "cloudIntegrations") ?? true,
                AdvancedSecurity = Bool(doc, "settings", "features", "advancedSecurity") ?? false,
                CustomBranding = Bool(doc, "settings", "features", "customBranding") ?? false,
            },
        };
        var tenant = new Tenant(id, Cut(owner, 256), name, Str(doc, "description") is { } d ? Cut(d, Tenant.DescriptionMaxLength) : null, settings)
        {
            CreatedAt = Date(doc, "createdAt") ?? run.Now,
            UpdatedAt = Date(doc, "updatedAt") ?? Date(doc, "createdAt") ?? run.Now,
        };
        tenant.SetArchived(Bool(doc, "archived") ?? false);
        tenant.SetSubscription(new TenantSubscription
        {
            Plan = Cut(Str(doc, "subscription", "plan") ?? "free", 50),
            Status = Cut(Str(doc, "subscription", "status") ?? "active", 50),
            ExpiresAt = Date(doc, "subscription", "expiresAt"),
        });
        run.TenantNames[Tenant.NormalizeName(name)] = id;
        run.TenantOwners[owner] = id;
        return tenant;
    }

    /// <summary>
    /// A project and its members. The integration id is resolved by the caller (it may be rewired); a project whose
    /// type or integration cannot be found cannot be stored and is skipped.
    /// </summary>
    public static (Project Project, List<ProjectMember> Members)? MapProject(ImportRun run, ImportReport delta, string tenantId, string id,
        BsonDocument doc, Func<string?, string?> integration, HashSet<string> names)
    {
        var typeId = Id(doc, "projectTypeId");
        if (typeId is null || !run.ProjectTypes.Contains(typeId))
        {
            delta.Note(ProjectDocs, id, NoteKinds.Skipped, $"project type {typeId ?? "(none)"} not found");
            return null;
        }

        var rawIntegration = Id(doc, "cloudIntegrationId") ?? Id(doc, "integrationId")
            ?? (Get(doc, "integrations") is BsonArray { Count: > 0 } list && list[0] is BsonDocument first ? Id(first, "integrationId") : null);
        var integrationId = integration(rawIntegration);
        if (integrationId is null)
        {
            delta.Note(ProjectDocs, id, NoteKinds.Skipped, $"cloud integration {rawIntegration ?? "(none)"} not found in tenant {tenantId}");
            return null;
        }

        var name = Str(doc, "name")?.Trim();
        name = string.IsNullOrEmpty(name) ? "Project " + id[^6..] : name;
        if (name.Length > Project.NameMaxLength)
        {
            delta.Note(ProjectDocs, id, NoteKinds.Normalised, "name longer than 100 characters; cut");
            name = name[..Project.NameMaxLength];
        }

        if (!names.Add(name))
        {
            var renamed = Cut(name, 93) + " " + id[^6..];
            delta.Note(ProjectDocs, id, NoteKinds.Normalised, $"name '{name}' is used by another project of the tenant; imported as '{renamed}'");
            name = renamed;
            names.Add(name);
        }

        var folder = Str(doc, "folderpath") ?? Str(doc, "folderPath");
        if (string.IsNullOrWhiteSpace(folder))
        {
            delta.Note(ProjectDocs, id, NoteKinds.Normalised, "no folderpath; the account root '/' is used");
            folder = "/";
        }

        var createdBy = Str(doc, "createdBy") ?? "mwap-import";
        var project = new Project
        {
            Id = id,
            TenantId = tenantId,
            ProjectTypeId = typeId,
            CloudIntegrationId = integrationId,
            FolderPath = Cut(folder, 1024),
            Name = name,
            Description = Str(doc, "description") is { } d ? Cut(d, 500) : null,
            Config = JsonText(doc, "config") ?? "{}",
            Archived = Bool(doc, "archived") ?? false,
            CreatedBy = Cut(createdBy, 256),
            CreatedAt = Date(doc, "createdAt") ?? run.Now,
            UpdatedAt = Date(doc, "updatedAt") ?? Date(doc, "createdAt") ?? run.Now,
        };
        return (project, Members(run, delta, project, doc));
    }

    private static List<ProjectMember> Members(ImportRun run, ImportReport delta, Project project, BsonDocument doc)
    {
        var members = new Dictionary<string, ProjectMember>(StringComparer.Ordinal);
        foreach (var item in Get(doc, "members") as BsonArray ?? [])
        {
            if (item is not BsonDocument m || Str(m, "userId")?.Trim() is not { Length: > 0 } userId)
            {
                delta.Note(ProjectDocs, project.Id, NoteKinds.Normalised, "a member without userId was dropped");
                continue;
            }

            var raw = Str(m, "role") ?? "";
            var role = raw.Trim().ToUpperInvariant();
            if (ProjectRoles.Rank(role) == 0)
            {
                delta.Note(ProjectDocs, project.Id, NoteKinds.Normalised, $"member {userId}: role '{raw}' is not OWNER, DEPUTY or MEMBER; imported as MEMBER");
                role = ProjectRoles.Member;
            }
            else if (role != raw)
            {
                delta.Note(ProjectDocs, project.Id, NoteKinds.Normalised, $"member {userId}: role '{raw}' imported as {role}");
            }

            if (members.TryGetValue(userId, out var earlier))
            {
                delta.Note(ProjectDocs, project.Id, NoteKinds.Normalised, $"member {userId} is listed twice; the higher role is kept");
                if (ProjectRoles.Rank(role) <= ProjectRoles.Rank(earlier.Role))
                {
                    continue;
                }
            }

            members[userId] = new ProjectMember
            {
                TenantId = project.TenantId,
                ProjectId = project.Id,
                UserId = Cut(userId, 256),
                Role = role,
                AddedAt = Date(m, "addedAt") ?? project.CreatedAt,
                AddedBy = Cut(Str(m, "addedBy") ?? project.CreatedBy, 256),
            };
        }

        if (!members.Values.Any(m => m.Role == ProjectRoles.Owner))
        {
            delta.Note(ProjectDocs, project.Id, NoteKinds.Normalised, $"no OWNER among the members; the creator {project.CreatedBy} is made OWNER");
            members[project.CreatedBy] = new ProjectMember
            {
                TenantId = project.TenantId,
                ProjectId = project.Id,
                UserId = project.CreatedBy,
                Role = ProjectRoles.Owner,
                AddedAt = project.CreatedAt,
                AddedBy = project.CreatedBy,
            };
        }

        return [.. members.Values];
    }
}
