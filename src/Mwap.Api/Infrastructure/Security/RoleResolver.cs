using System.ComponentModel;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Mwap.Api.Features.Projects;
using Mwap.Api.Infrastructure.Caching;
using Mwap.Api.Infrastructure.Observability;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Infrastructure.Security;

/// <summary>
/// A user's roles as MWAP defines them (spec §3.1): superadmin, owner of one tenant, project roles. Immutable, so
/// HybridCache hands every request the cached instance instead of deserialising a copy (issue 13).
/// </summary>
[ImmutableObject(true)]
internal sealed record UserRoles(string UserId, bool IsSuperAdmin, string? TenantId, IReadOnlyList<ProjectRole> ProjectRoles)
{
    public bool IsTenantOwner => TenantId is not null;

    public string? RoleIn(string projectId) =>
        ProjectRoles.FirstOrDefault(r => string.Equals(r.ProjectId, projectId, StringComparison.OrdinalIgnoreCase))?.Role;
}

[ImmutableObject(true)]
internal sealed record ProjectRole(string ProjectId, string Role);

/// <summary>The one place roles are looked up; guards, services and <c>/users/me/roles</c> all use it.</summary>
internal interface IRoleResolver
{
    Task<UserRoles> GetAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Forgets cached roles of these users; call after the change is committed.</summary>
    Task InvalidateAsync(IEnumerable<string> userIds, CancellationToken cancellationToken = default);
}

/// <summary>
/// Roles are read on every request, so they are cached per user (HybridCache, a few minutes) and invalidated on
/// every membership, ownership or superadmin change. Scoped: also remembers the answer for the rest of the request.
/// </summary>
internal sealed class RoleResolver(MwapDbContext db, HybridCache cache, ICacheInvalidationBus invalidations) : IRoleResolver
{
    private static readonly HybridCacheEntryOptions Entry = new() { Expiration = TimeSpan.FromMinutes(5), LocalCacheExpiration = TimeSpan.FromMinutes(5) };
    private UserRoles? _current;

    public async Task<UserRoles> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        if (_current is not null && _current.UserId == userId)
        {
            return _current;
        }

        var loaded = new StrongBox<bool>();
        _current = await cache.GetOrCreateAsync(Key(userId), (db, userId, loaded), static async (state, ct) =>
        {
            state.loaded.Value = true;
            return await LoadAsync(state.db, state.userId, ct);
        }, Entry, cancellationToken: cancellationToken);
        MwapMetrics.RecordCacheLookup("roles", hit: !loaded.Value);
        return _current;
    }

    public async Task InvalidateAsync(IEnumerable<string> userIds, CancellationToken cancellationToken = default)
    {
        var keys = new List<string>();
        foreach (var userId in userIds.Distinct(StringComparer.Ordinal))
        {
            await cache.RemoveAsync(Key(userId), cancellationToken);
            keys.Add(Key(userId));
            if (_current?.UserId == userId)
            {
                _current = null;
            }
        }

        // RemoveAsync cleared this instance and the shared level; other instances still hold the entry in memory.
        await invalidations.PublishAsync(keys, cancellationToken);
    }

    private static string Key(string userId) => "roles:" + userId;

    private static async Task<UserRoles> LoadAsync(MwapDbContext db, string userId, CancellationToken cancellationToken)
    {
        var isSuperAdmin = await db.SuperAdmins.AsNoTracking().AnyAsync(s => s.UserId == userId, cancellationToken);
        var tenantId = await db.Tenants.AsNoTracking().Where(t => t.OwnerId == userId).Select(t => t.Id).FirstOrDefaultAsync(cancellationToken);
        var projectRoles = await db.Set<ProjectMember>().AsNoTracking().Where(m => m.UserId == userId)
            .OrderBy(m => m.ProjectId).Select(m => new ProjectRole(m.ProjectId, m.Role)).ToListAsync(cancellationToken);
        return new UserRoles(userId, isSuperAdmin, tenantId, projectRoles);
    }
}
