using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Mwap.Api.Features.Projects;
using Mwap.Api.Features.SuperAdmins;
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

    /// <summary>Which load produced this value (see <see cref="CacheEntryVersions"/>).</summary>
    public CacheStamp? Stamp { get; init; }

    public string? RoleIn(string projectId) =>
        ProjectRoles.FirstOrDefault(r => string.Equals(r.ProjectId, projectId, StringComparison.OrdinalIgnoreCase))?.Role;
}

/// <summary>
/// A role in one project. <see cref="Implicit"/>: the tenant owner's OWNER role on a project of their tenant, held
/// whether or not a member row says so (written only when true, so explicit roles keep MWAP's shape).
/// </summary>
[ImmutableObject(true)]
internal sealed record ProjectRole(
    string ProjectId,
    string Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Implicit = false);

/// <summary>The one place roles are looked up; guards, services and <c>/users/me/roles</c> all use it.</summary>
internal interface IRoleResolver
{
    Task<UserRoles> GetAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Forgets cached roles of these users; call after the change is committed.</summary>
    Task InvalidateAsync(IEnumerable<string> userIds, CancellationToken cancellationToken = default);
}

/// <summary>Test seam: runs after a user's roles are read from the database and before they are cached. Production registers none.</summary>
internal interface IRoleLoadHook
{
    Task AfterLoadAsync(string userId, CancellationToken cancellationToken);
}

/// <summary>
/// Roles are read on every request, so they are cached per user (HybridCache, a few minutes) and invalidated on
/// every membership, ownership or superadmin change. An invalidation wins over a load that was in flight when it
/// happened: the load's value carries the version it started from and is thrown away when that version is stale.
/// Scoped: also remembers the answer for the rest of the request.
/// </summary>
internal sealed class RoleResolver(MwapDbContext db, HybridCache cache, ICacheInvalidationBus invalidations, CacheEntryVersions versions,
    SuperAdminDirectory superAdmins, IRoleLoadHook? hook = null) : IRoleResolver
{
    /// <summary>Tag of every cached role entry: an import run elsewhere drops them all (<see cref="Features.Import.ImportWatcher"/>).</summary>
    public const string CacheTag = "roles";

    private const int CachedAttempts = 3;
    private static readonly string[] Tags = [CacheTag];
    private static readonly HybridCacheEntryOptions Entry = new() { Expiration = TimeSpan.FromMinutes(5), LocalCacheExpiration = TimeSpan.FromMinutes(5) };
    private UserRoles? _current;

    public async Task<UserRoles> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        if (_current is not null && _current.UserId == userId)
        {
            return _current;
        }

        var key = Key(userId);
        for (var attempt = 0; attempt < CachedAttempts; attempt++)
        {
            var loaded = new StrongBox<bool>();
            var roles = await cache.GetOrCreateAsync(key, (db, userId, key, versions, hook, loaded), static async (state, ct) =>
            {
                state.loaded.Value = true;
                var stamp = state.versions.Stamp(state.key);
                var result = await LoadAsync(state.db, state.userId, ct);
                if (state.hook is not null)
                {
                    await state.hook.AfterLoadAsync(state.userId, ct);
                }

                return result with { Stamp = stamp };
            }, Entry, Tags, cancellationToken);
            MwapMetrics.RecordCacheLookup("roles", hit: !loaded.Value);
            if (!versions.IsStale(key, roles.Stamp))
            {
                return _current = await WithSuperAdminAsync(roles, cancellationToken);
            }

            // Read before an invalidation that has happened since: drop it (it may have been stored after the removal) and read again.
            await cache.RemoveAsync(key, cancellationToken);
        }

        // Invalidations keep arriving faster than loads finish: answer from the database without caching.
        return _current = await WithSuperAdminAsync(await LoadAsync(db, userId, cancellationToken), cancellationToken);
    }

    public async Task InvalidateAsync(IEnumerable<string> userIds, CancellationToken cancellationToken = default)
    {
        var keys = new List<string>();
        foreach (var userId in userIds.Distinct(StringComparer.Ordinal))
        {
            // Bump before removing, so a load that read the database before this change cannot be served afterwards.
            versions.Bump(Key(userId));
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

    // Superadmin status comes from the directory, which every instance keeps current within seconds (the CLI
    // changes it from another process, where no cache invalidation can reach).
    private async Task<UserRoles> WithSuperAdminAsync(UserRoles roles, CancellationToken cancellationToken) =>
        roles with { IsSuperAdmin = await superAdmins.ContainsAsync(db, roles.UserId, cancellationToken) };

    private static async Task<UserRoles> LoadAsync(MwapDbContext db, string userId, CancellationToken cancellationToken)
    {
        var tenantId = await db.Tenants.AsNoTracking().Where(t => t.OwnerId == userId).Select(t => t.Id).FirstOrDefaultAsync(cancellationToken);
        var projectRoles = await db.Set<ProjectMember>().AsNoTracking().Where(m => m.UserId == userId)
            .OrderBy(m => m.ProjectId).Select(m => new ProjectRole(m.ProjectId, m.Role, false)).ToListAsync(cancellationToken);
        if (tenantId is not null)
        {
            // The tenant owner is OWNER of every project of the tenant, whatever the member rows say (or lack).
            var tenantProjects = await db.Set<Project>().AsNoTracking().Where(p => p.TenantId == tenantId)
                .Select(p => p.Id).ToListAsync(cancellationToken);
            var explicitOwner = projectRoles.Where(r => r.Role == ProjectRoles.Owner).Select(r => r.ProjectId).ToHashSet(StringComparer.Ordinal);
            var implicitOwner = tenantProjects.Where(id => !explicitOwner.Contains(id)).ToHashSet(StringComparer.Ordinal);
            projectRoles = [.. projectRoles.Where(r => !implicitOwner.Contains(r.ProjectId))
                .Concat(implicitOwner.Select(id => new ProjectRole(id, ProjectRoles.Owner, true)))
                .OrderBy(r => r.ProjectId, StringComparer.Ordinal)];
        }

        return new UserRoles(userId, IsSuperAdmin: false, tenantId, projectRoles);
    }
}
