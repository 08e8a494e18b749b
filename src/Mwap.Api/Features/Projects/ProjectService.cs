using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.ProjectTypes;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Projects;

/// <summary>Project use cases. Role guards run first (endpoints); every rule here also holds for direct callers.</summary>
internal sealed class ProjectService(
    MwapDbContext db, IAuditLog audit, IRoleResolver roles, ProjectReadCache reads, ProjectEditQueue edits, TimeProvider time, IOptions<ProjectsOptions> options)
{
    public const string InvalidInputCode = "project/invalid-input";
    public const string NotFoundCode = "project/not-found";

    private int MaxMembers => options.Value.MaxMembers;

    /// <summary>
    /// The caller's projects (archived included), or every project for a superadmin who asks for all. The caller's
    /// project ids come from their cached roles and each project from the read cache, so a warm list reads nothing.
    /// </summary>
    public async Task<IReadOnlyList<ProjectResponse>> ListAsync(string userId, bool all, CancellationToken cancellationToken)
    {
        var ids = all
            ? await db.Set<Project>().AsNoTracking().Select(p => p.Id).ToListAsync(cancellationToken)
            : [.. (await roles.GetAsync(userId, cancellationToken)).ProjectRoles.Select(r => r.ProjectId)];
        var projects = new List<ProjectResponse>(ids.Count);
        foreach (var id in ids)
        {
            if (await reads.GetAsync(db, id, cancellationToken) is { } project)
            {
                projects.Add(project);
            }
        }

        return [.. projects.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id, StringComparer.Ordinal)];
    }

    /// <summary>A project its member (or a superadmin) may see; anyone else gets MWAP's 404.</summary>
    public async Task<ProjectResponse> GetAsync(string userId, string projectId, CancellationToken cancellationToken)
    {
        var userRoles = await roles.GetAsync(userId, cancellationToken);
        if (!userRoles.IsSuperAdmin && userRoles.RoleIn(projectId) is null)
        {
            throw NotMember();
        }

        return await reads.GetAsync(db, projectId, cancellationToken) ?? throw NotMember();
    }

    public async Task<ProjectResponse> CreateAsync(string userId, CreateProjectRequest request, CancellationToken cancellationToken)
    {
        var (tenantId, typeId, integrationId, folderPath) = await ProjectDefaults.ResolveAsync(db, roles, userId, request, cancellationToken);
        var name = request.Name!.Trim();
        var (project, members) = await ConcurrencyRetry.RunAsync(db, async () =>
        {
            // Whoever does not own the tenant gets one answer whether it exists or not; only a superadmin (who may see
            // every tenant) learns that it is missing.
            var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
            if (tenant is null && (await roles.GetAsync(userId, cancellationToken)).IsSuperAdmin)
            {
                throw new NotFoundException("project/tenant-not-found", "Tenant not found");
            }

            if (tenant is null || tenant.OwnerId != userId)
            {
                throw new ForbiddenException("Only tenant owners can create projects", "project/unauthorized");
            }

            if (tenant.Archived)
            {
                throw new ConflictException("project/tenant-archived", "An archived tenant cannot create projects");
            }

            var type = await db.Set<ProjectType>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == typeId, cancellationToken)
                ?? throw new NotFoundException("project/project-type-not-found", "Project type not found");
            if (!type.IsActive)
            {
                throw new BadRequestException("project/project-type-inactive", "Project type is not active");
            }

            if (!await db.Set<CloudIntegration>().AnyAsync(i => i.Id == integrationId && i.TenantId == tenantId, cancellationToken))
            {
                throw new NotFoundException("project/cloud-integration-not-found", "Cloud integration not found");
            }

            var config = ValidateConfig(type, request.Config);
            var count = await db.Set<Project>().CountAsync(p => p.TenantId == tenantId, cancellationToken);
            if (count >= tenant.Settings.MaxProjects)
            {
                throw new ConflictException("project/max-projects-reached", $"The tenant has reached its maximum of {tenant.Settings.MaxProjects} projects");
            }

            if (await db.Set<Project>().AnyAsync(p => p.TenantId == tenantId && p.Name == name, cancellationToken))
            {
                throw NameExists();
            }

            var now = time.GetUtcNow();
            var project = new Project
            {
                Id = ObjectId.NewId(now),
                TenantId = tenantId,
                ProjectTypeId = typeId,
                CloudIntegrationId = integrationId,
                FolderPath = folderPath,
                Name = name,
                Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
                Config = config,
                Archived = request.Archived ?? false,
                CreatedBy = userId,
            };

            // The creator is an OWNER exactly once, whatever the request listed for them.
            var members = (request.Members ?? []).Where(m => m.UserId != userId)
                .Prepend(new MemberInput(userId, ProjectRoles.Owner))
                .Select(m => new ProjectMember
                {
                    TenantId = tenantId,
                    ProjectId = project.Id,
                    UserId = m.UserId,
                    Role = m.Role,
                    AddedAt = now.UtcDateTime,
                    AddedBy = userId,
                }).ToList();
            if (members.Count > MaxMembers)
            {
                throw MaxMembersReached();
            }

            db.Add(project);
            db.AddRange(members);
            // Touching the tenant's version makes two concurrent creates serialise, so maxProjects cannot be overshot.
            db.Entry(tenant).Property(t => t.Version).IsModified = true;
            audit.Record("project.create", "project", project.Id, tenantId, new { name, projectTypeId = typeId, cloudIntegrationId = integrationId, members = members.Count });
            await SaveAsync(db, cancellationToken);
            return (project, members);
        });
        await roles.InvalidateAsync(members.Select(m => m.UserId), cancellationToken);
        return await reads.GetAsync(db, project.Id, cancellationToken) ?? throw NotFound();
    }

    /// <summary>
    /// Applies the edit through <see cref="ProjectEditQueue"/>: edits arriving together share one read, one
    /// transaction and one cache invalidation (issue 13). The response is built from the saved entity and the members
    /// read with it (metadata comes from the totals cache), not read again.
    /// </summary>
    public async Task<ProjectResponse> UpdateAsync(string projectId, UpdateProjectRequest request, AuditActor actor, CancellationToken cancellationToken)
    {
        var row = await edits.SubmitAsync(projectId, request, actor, cancellationToken);
        return await reads.ResponseAsync(db, row, cancellationToken);
    }

    /// <summary>Deletes the project and what hangs off it (members; its file index rows arrive with the file index).</summary>
    public async Task DeleteAsync(string projectId, CancellationToken cancellationToken)
    {
        var project = await db.Set<Project>().FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken) ?? throw NotFound();
        var memberIds = await db.Set<ProjectMember>().Where(m => m.ProjectId == projectId).Select(m => m.UserId).ToListAsync(cancellationToken);
        var tenantOwner = await db.Tenants.Where(t => t.Id == project.TenantId).Select(t => t.OwnerId).FirstOrDefaultAsync(cancellationToken);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.Set<ProjectMember>().Where(m => m.ProjectId == projectId).ExecuteDeleteAsync(cancellationToken);
            db.Remove(project);
            audit.Record("project.delete", "project", project.Id, project.TenantId, new { name = project.Name, members = memberIds.Count });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        // The tenant owner holds an implicit OWNER role on the project even without a member row.
        await roles.InvalidateAsync(tenantOwner is null ? memberIds : [.. memberIds, tenantOwner], cancellationToken);
        await reads.InvalidateAsync([projectId], cancellationToken);
    }

    internal static string ValidateConfig(ProjectType type, JsonElement? config)
    {
        var value = config is { ValueKind: JsonValueKind.Object } c ? c : JsonDocument.Parse("{}").RootElement;
        var errors = ConfigSchemas.Validate(type.ConfigSchema, value);
        return errors.Count == 0 ? value.GetRawText() : throw new BadRequestException(InvalidInputCode, "Project config does not match its type's schema", errors);
    }

    /// <summary>Saves the unit of work; a project name another save took first is MWAP's name conflict.</summary>
    internal static async Task SaveAsync(DbContext db, CancellationToken cancellationToken)
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

    internal static NotFoundException NotFound() => new(NotFoundCode, "Project not found");

    internal const string NotMemberMessage = "Project not found or user not a member";

    internal static NotFoundException NotMember() => new(NotFoundCode, NotMemberMessage);

    internal static BadRequestException MaxMembersReached() => new("project/max-members-reached", "Maximum number of members reached");

    internal static ConflictException NameExists() => new("project/name-exists", "A project with this name already exists in the tenant");
}
