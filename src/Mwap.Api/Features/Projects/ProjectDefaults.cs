using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.ProjectTypes;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Projects;

/// <summary>The references a create body names, with the ones it leaves out filled in where only one answer exists.</summary>
internal sealed record ProjectReferences(string TenantId, string ProjectTypeId, string IntegrationId, string FolderPath);

/// <summary>
/// MWAP's own staging script creates projects with only a name and a description. Rather than refuse it, a reference the
/// body leaves out is taken from the only candidate there is: the caller's tenant (a user owns at most one), the only
/// active project type, the tenant's only integration (or only active one), and a folder named after the project at the account's root.
/// Where there is no candidate or several, the field is required (400 naming it), so nothing is ever guessed between two.
/// </summary>
internal static class ProjectDefaults
{
    public static async Task<ProjectReferences> ResolveAsync(MwapDbContext db, IRoleResolver roles, string userId,
        CreateProjectRequest request, CancellationToken cancellationToken)
    {
        var tenantId = request.TenantId?.ToLowerInvariant()
            ?? (await roles.GetAsync(userId, cancellationToken)).TenantId
            ?? throw Required("tenantId", "Required: you own no tenant");

        var typeId = request.ProjectTypeId?.ToLowerInvariant();
        if (typeId is null)
        {
            var active = await db.Set<ProjectType>().AsNoTracking().Where(t => t.IsActive).Select(t => t.Id).Take(2).ToListAsync(cancellationToken);
            typeId = active.Count == 1 ? active[0] : throw Required("projectTypeId", $"Required: {(active.Count == 0 ? "no" : "more than one")} active project type");
        }

        var integrationId = request.EffectiveIntegrationId?.ToLowerInvariant();
        if (integrationId is null)
        {
            // The tenant's only integration; among several, the only active one.
            var candidates = await db.Set<CloudIntegration>().AsNoTracking().Where(i => i.TenantId == tenantId)
                .Select(i => new { i.Id, i.Status }).ToListAsync(cancellationToken);
            var active = candidates.Where(i => i.Status == IntegrationStatus.Active).ToList();
            integrationId = candidates.Count == 1 ? candidates[0].Id
                : active.Count == 1 ? active[0].Id
                : throw Required("cloudIntegrationId", candidates.Count == 0 ? "Required: the tenant has no integration" : "Required: the tenant has several integrations");
        }

        var folder = request.FolderPath ?? request.Name!.Trim();
        if (request.FolderPath is null && ProjectPaths.Check(folder).Any())
        {
            throw Required("folderpath", "Required: the project's name cannot serve as its folder's name");
        }

        return new ProjectReferences(tenantId, typeId, integrationId, ProjectPaths.Normalize(folder));
    }

    private static BadRequestException Required(string field, string message) =>
        new(ProjectService.InvalidInputCode, "Invalid input", new Dictionary<string, string> { [field] = message });
}
