using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.ProjectTypes;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Projects;

/// <summary>One <c>PATCH /projects/{id}</c>: its rules, then its changes and its audit entry, on a unit of work.</summary>
internal static class ProjectEdit
{
    /// <summary>
    /// Checks the edit against the project as read and, when it passes, applies it to <paramref name="project"/>
    /// (attached to <paramref name="db"/> as read, so the save writes only what changes and the version read is the
    /// concurrency check) with its audit entry. Every rule runs before the first change: an edit refused inside a
    /// batch leaves nothing in the batch's unit of work.
    /// </summary>
    public static async Task ApplyAsync(MwapDbContext db, IAuditLog audit, AuditActor actor, Project project,
        UpdateProjectRequest request, CancellationToken cancellationToken)
    {
        string? name = null;
        if (request.Name is { } rawName && rawName.Trim() != project.Name)
        {
            name = rawName.Trim();
            if (await db.Set<Project>().AnyAsync(p => p.TenantId == project.TenantId && p.Name == name && p.Id != project.Id, cancellationToken))
            {
                throw NameExists();
            }
        }

        string? config = null;
        if (request.Config is { ValueKind: JsonValueKind.Object })
        {
            var type = await db.Set<ProjectType>().AsNoTracking().FirstAsync(t => t.Id == project.ProjectTypeId, cancellationToken);
            config = ValidateConfig(type, request.Config);
        }

        if (db.Entry(project).State == EntityState.Detached)
        {
            db.Attach(project);
        }

        project.Name = name ?? project.Name;
        if (request.Description is not null)
        {
            project.Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        }

        project.Archived = request.Archived ?? project.Archived;
        project.Config = config ?? project.Config;
        db.Entry(project).Property(p => p.UpdatedAt).IsModified = true;
        audit.Record(actor, "project.update", "project", project.Id, project.TenantId,
            new { name = request.Name, archived = request.Archived, configChanged = request.Config is not null });
    }

    /// <summary>Saves the unit of work; a project name another save took first is MWAP's name conflict.</summary>
    public static async Task SaveAsync(DbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.IsOn(e, ProjectConfiguration.NameIndex, "projects", "name"))
        {
            throw NameExists();
        }
    }

    public static string ValidateConfig(ProjectType type, JsonElement? config)
    {
        var value = config is { ValueKind: JsonValueKind.Object } c ? c : JsonDocument.Parse("{}").RootElement;
        var errors = ConfigSchemas.Validate(type.ConfigSchema, value);
        return errors.Count == 0 ? value.GetRawText() : throw new BadRequestException(ProjectService.InvalidInputCode, "Project config does not match its type's schema", errors);
    }

    public static ConflictException NameExists() => new("project/name-exists", "A project with this name already exists in the tenant");
}
