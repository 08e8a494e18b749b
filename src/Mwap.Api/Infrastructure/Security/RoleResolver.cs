using Microsoft.EntityFrameworkCore;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Infrastructure.Security;

/// <summary>A user's roles as MWAP defines them (spec §3.1): superadmin, owner of one tenant, project roles.</summary>
internal sealed record UserRoles(string UserId, bool IsSuperAdmin, string? TenantId, IReadOnlyList<ProjectRole> ProjectRoles)
{
    public bool IsTenantOwner => TenantId is not null;
}

internal sealed record ProjectRole(string ProjectId, string Role);

/// <summary>The one place roles are looked up; guards, services and <c>/users/me/roles</c> all use it.</summary>
internal interface IRoleResolver
{
    Task<UserRoles> GetAsync(string userId, CancellationToken cancellationToken = default);
}

/// <summary>Scoped: remembers the answer for the rest of the request, so several guards cost one lookup.</summary>
internal sealed class RoleResolver(MwapDbContext db) : IRoleResolver
{
    private UserRoles? _cached;

    public async Task<UserRoles> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        if (_cached is not null && _cached.UserId == userId)
        {
            return _cached;
        }

        var isSuperAdmin = await db.SuperAdmins.AsNoTracking().AnyAsync(s => s.UserId == userId, cancellationToken);
        var tenantId = await db.Tenants.AsNoTracking().Where(t => t.OwnerId == userId).Select(t => t.Id).FirstOrDefaultAsync(cancellationToken);
        // Project memberships arrive with the projects feature; until then a user holds no project role.
        _cached = new UserRoles(userId, isSuperAdmin, tenantId, []);
        return _cached;
    }
}
