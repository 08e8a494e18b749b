using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.Projects;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Members;

/// <summary>
/// Project membership. Every change takes the project row's version, so concurrent changes serialise: two adds can
/// never pass the member cap together, and two demotions can never remove the last owner together.
/// </summary>
internal sealed class MemberService(
    MwapDbContext db, IAuditLog audit, IRoleResolver roles, ProjectReadCache reads, TimeProvider time, IOptions<ProjectsOptions> options)
{
    public async Task<IReadOnlyList<MemberResponse>> ListAsync(string projectId, CancellationToken cancellationToken)
    {
        var tenantOwner = await TenantOwnerOfAsync(projectId, cancellationToken) ?? throw ProjectService.NotFound();
        var members = await db.Set<ProjectMember>().AsNoTracking().Where(m => m.ProjectId == projectId).ToListAsync(cancellationToken);
        var listed = members.OrderByDescending(m => ProjectRoles.Rank(m.Role)).ThenBy(m => m.AddedAt).Select(MemberResponse.From).ToList();
        if (!members.Any(m => m.UserId == tenantOwner && m.Role == ProjectRoles.Owner))
        {
            // The tenant owner is OWNER of every project of the tenant, with or without a member row.
            listed.RemoveAll(m => m.UserId == tenantOwner);
            listed.Insert(0, new MemberResponse(tenantOwner, ProjectRoles.Owner, true));
        }

        return listed;
    }

    /// <summary>The caller's own membership, <c>{userId, role}</c> as MWAP returns it (plus <c>implicit</c> for the tenant owner).</summary>
    public async Task<MemberResponse> GetMineAsync(string userId, string projectId, CancellationToken cancellationToken)
    {
        var role = (await roles.GetAsync(userId, cancellationToken)).ProjectRoles
            .FirstOrDefault(r => string.Equals(r.ProjectId, projectId, StringComparison.OrdinalIgnoreCase))
            ?? throw ProjectService.NotMember();
        return new MemberResponse(userId, role.Role, role.Implicit);
    }

    public async Task AddAsync(string actorId, string projectId, AddMemberRequest request, CancellationToken cancellationToken)
    {
        var userId = request.UserId!.Trim();
        await ConcurrencyRetry.RunAsync(db, async () =>
        {
            var project = await LoadProjectAsync(projectId, cancellationToken);
            var actorRole = await ActorRoleAsync(actorId, projectId, cancellationToken);
            if (request.Role == ProjectRoles.Owner && actorRole != ProjectRoles.Owner)
            {
                throw new ForbiddenException("Only project owners can grant the OWNER role", "project/unauthorized");
            }

            var members = await db.Set<ProjectMember>().Where(m => m.ProjectId == projectId).ToListAsync(cancellationToken);
            if (members.Any(m => m.UserId == userId))
            {
                throw new ConflictException("project/member-already-exists", "Member already exists in project");
            }

            if (members.Count >= options.Value.MaxMembers)
            {
                throw new BadRequestException("project/max-members-reached", $"Maximum number of members reached ({options.Value.MaxMembers})");
            }

            db.Add(new ProjectMember
            {
                TenantId = project.TenantId,
                ProjectId = projectId,
                UserId = userId,
                Role = request.Role!,
                AddedAt = time.GetUtcNow().UtcDateTime,
                AddedBy = actorId,
            });
            Touch(project);
            audit.Record("project.member.add", "project-member", userId, project.TenantId, new { projectId, userId, role = request.Role });
            return await db.SaveChangesAsync(cancellationToken);
        });
        await roles.InvalidateAsync([userId], cancellationToken);
        await reads.InvalidateAsync([projectId], cancellationToken);
    }

    public async Task UpdateRoleAsync(string projectId, string userId, UpdateMemberRequest request, CancellationToken cancellationToken)
    {
        await ConcurrencyRetry.RunAsync(db, async () =>
        {
            var project = await LoadProjectAsync(projectId, cancellationToken);
            if (request.Role != ProjectRoles.Owner && await IsTenantOwnerAsync(project, userId, cancellationToken))
            {
                throw TenantOwnerStays();
            }
            var members = await db.Set<ProjectMember>().Where(m => m.ProjectId == projectId).ToListAsync(cancellationToken);
            var target = members.FirstOrDefault(m => m.UserId == userId) ?? throw MemberNotFound();
            if (target.Role == ProjectRoles.Owner && request.Role != ProjectRoles.Owner && members.Count(m => m.Role == ProjectRoles.Owner) == 1)
            {
                throw LastOwner();
            }

            var previous = target.Role;
            target.Role = request.Role!;
            Touch(project);
            audit.Record("project.member.update", "project-member", userId, project.TenantId, new { projectId, userId, from = previous, to = target.Role });
            return await db.SaveChangesAsync(cancellationToken);
        });
        await roles.InvalidateAsync([userId], cancellationToken);
        await reads.InvalidateAsync([projectId], cancellationToken);
    }

    public async Task RemoveAsync(string projectId, string userId, CancellationToken cancellationToken)
    {
        await ConcurrencyRetry.RunAsync(db, async () =>
        {
            var project = await LoadProjectAsync(projectId, cancellationToken);
            if (await IsTenantOwnerAsync(project, userId, cancellationToken))
            {
                throw TenantOwnerStays();
            }
            var members = await db.Set<ProjectMember>().Where(m => m.ProjectId == projectId).ToListAsync(cancellationToken);
            var target = members.FirstOrDefault(m => m.UserId == userId) ?? throw MemberNotFound();
            if (target.Role == ProjectRoles.Owner && members.Count(m => m.Role == ProjectRoles.Owner) == 1)
            {
                throw LastOwner();
            }

            db.Remove(target);
            Touch(project);
            audit.Record("project.member.remove", "project-member", userId, project.TenantId, new { projectId, userId, role = target.Role });
            return await db.SaveChangesAsync(cancellationToken);
        });
        await roles.InvalidateAsync([userId], cancellationToken);
        await reads.InvalidateAsync([projectId], cancellationToken);
    }

    private async Task<string?> TenantOwnerOfAsync(string projectId, CancellationToken cancellationToken) =>
        await db.Set<Project>().AsNoTracking().Where(p => p.Id == projectId)
            .Join(db.Tenants, p => p.TenantId, t => t.Id, (_, t) => t.OwnerId).FirstOrDefaultAsync(cancellationToken);

    private Task<bool> IsTenantOwnerAsync(Project project, string userId, CancellationToken cancellationToken) =>
        db.Tenants.AsNoTracking().AnyAsync(t => t.Id == project.TenantId && t.OwnerId == userId, cancellationToken);

    private async Task<Project> LoadProjectAsync(string projectId, CancellationToken cancellationToken) =>
        await db.Set<Project>().FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken) ?? throw ProjectService.NotFound();

    /// <summary>The actor's role; a superadmin who is not a member acts with owner rights.</summary>
    private async Task<string> ActorRoleAsync(string actorId, string projectId, CancellationToken cancellationToken)
    {
        var actor = await roles.GetAsync(actorId, cancellationToken);
        return actor.IsSuperAdmin ? ProjectRoles.Owner : actor.RoleIn(projectId) ?? "";
    }

    // MWAP bumps the project's updatedAt on member changes; the version bump is what serialises concurrent changes.
    private void Touch(Project project) => db.Entry(project).Property(p => p.UpdatedAt).IsModified = true;

    private static NotFoundException MemberNotFound() => new("project/member-not-found", "Member not found in project");

    /// <summary>The tenant owner keeps OWNER rights on every project of the tenant: neither removed nor demoted.</summary>
    private static BadRequestException TenantOwnerStays() =>
        new("project/tenant-owner-required", "The tenant owner always keeps OWNER rights on the tenant's projects and cannot be removed or demoted");

    private static BadRequestException LastOwner() => new("project/owner-required", "Cannot remove the last owner from the project");
}
