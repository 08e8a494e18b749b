using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.ProjectTypes;
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
                throw ProjectService.NameExists();
            }
        }

        string? config = null;
        if (request.Config is { ValueKind: JsonValueKind.Object })
        {
            var type = await db.Set<ProjectType>().AsNoTracking().FirstAsync(t => t.Id == project.ProjectTypeId, cancellationToken);
            config = ProjectService.ValidateConfig(type, request.Config);
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
}
