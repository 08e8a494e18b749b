using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Mwap.Api.Features.Files;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Infrastructure.Caching;
using Mwap.Api.Infrastructure.Observability;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Projects;

/// <summary>
/// The project as the API returns it, cached per project (HybridCache, like the roles): <c>GET /projects/{id}</c> and
/// <c>GET /projects</c> are the client's hottest reads, and the query, not the HTTP pipeline, was most of their cost
/// (issue 13, docs/performance.md). Every write that changes what the response shows removes the entry on this
/// instance and, through <see cref="ICacheInvalidationBus"/>, on every other: project update and delete, member
/// changes, tenant deletion, and a completed sync of the project's integration (its <c>metadata</c>).
/// Singleton: holds only the cache and the bus.
/// </summary>
internal sealed class ProjectReadCache(HybridCache cache, ICacheInvalidationBus invalidations, FilesPageCache fileIndex)
{
    /// <summary>Tag of every cached project: an import run elsewhere drops them all (<see cref="Import.ImportWatcher"/>).</summary>
    public const string CacheTag = "projects";

    private static readonly string[] Tags = [CacheTag];
    private static readonly HybridCacheEntryOptions Entry = new() { Expiration = TimeSpan.FromMinutes(5), LocalCacheExpiration = TimeSpan.FromMinutes(5) };

    /// <summary>The project, or null when there is none (a miss is not cached, so a later create is seen at once).</summary>
    public async ValueTask<ProjectResponse?> GetAsync(MwapDbContext db, string projectId, CancellationToken cancellationToken)
    {
        var loaded = new StrongBox<bool>();
        try
        {
            var project = await cache.GetOrCreateAsync(Key(projectId), (db, projectId, loaded, fileIndex), static async (state, ct) =>
            {
                state.loaded.Value = true;
                return await LoadAsync(state.db, state.projectId, state.fileIndex, ct) ?? throw new ProjectMissingException();
            }, Entry, Tags, cancellationToken);
            MwapMetrics.RecordCacheLookup("projects", hit: !loaded.Value);
            return project;
        }
        catch (ProjectMissingException)
        {
            return null;
        }
    }

    /// <summary>Forgets these projects here and on every other instance; call after the change is committed.</summary>
    public async Task InvalidateAsync(IEnumerable<string> projectIds, CancellationToken cancellationToken = default)
    {
        var keys = projectIds.Distinct(StringComparer.Ordinal).Select(Key).ToList();
        foreach (var key in keys)
        {
            await cache.RemoveAsync(key, cancellationToken);
        }

        await invalidations.PublishAsync(keys, cancellationToken);
    }

    /// <summary>Forgets every project bound to the integration (its file index or last sync changed).</summary>
    public async Task InvalidateIntegrationAsync(MwapDbContext db, string integrationId, CancellationToken cancellationToken = default)
    {
        var ids = await db.Set<Project>().AsNoTracking().Where(p => p.CloudIntegrationId == integrationId).Select(p => p.Id).ToListAsync(cancellationToken);
        await InvalidateAsync(ids, cancellationToken);
    }

    /// <summary>
    /// One round trip for the project, its members and its integration's last sync, then one aggregate over the
    /// index rows under the project's folder (served by the (tenant, integration, path) index), skipped before the
    /// first sync and kept between loads while the index does not change.
    /// </summary>
    internal static async Task<ProjectResponse?> LoadAsync(MwapDbContext db, string projectId, FilesPageCache fileIndex, CancellationToken cancellationToken) =>
        await ReadAsync(db, projectId, cancellationToken) is { } row ? await ResponseAsync(db, row, fileIndex, cancellationToken) : null;

    /// <summary>The project (not tracked), its members and its integration's last sync, in one round trip.</summary>
    internal static Task<ProjectRow?> ReadAsync(MwapDbContext db, string projectId, CancellationToken cancellationToken) =>
        Rows(db, db.Set<Project>().Where(p => p.Id == projectId)).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The rows of these projects by id (a batch of edits reads its projects together), in one round trip.</summary>
    internal static async Task<Dictionary<string, ProjectRow>> ReadManyAsync(MwapDbContext db, IReadOnlyCollection<string> projectIds, CancellationToken cancellationToken) =>
        await Rows(db, db.Set<Project>().Where(p => projectIds.Contains(p.Id))).ToDictionaryAsync(r => r.Project.Id, StringComparer.Ordinal, cancellationToken);

    private static IQueryable<ProjectRow> Rows(MwapDbContext db, IQueryable<Project> projects)
    {
        // The sets are locals, not db.Set<T>() inside the lambda: EF evaluates a method call on a captured variable by
        // compiling a delegate on every execution (a JIT per request); a captured local is read as a plain field.
        var members = db.Set<ProjectMember>();
        var integrations = db.Set<CloudIntegration>();
        return projects.AsNoTracking().Select(p => new ProjectRow(
            p,
            members.Where(m => m.ProjectId == p.Id).ToList(),
            integrations.Where(i => i.Id == p.CloudIntegrationId).Select(i => i.Sync.LastSyncAt).FirstOrDefault()));
    }

    /// <summary>The response for a row read by <see cref="ReadAsync"/> (a write builds it from the entity it saved).</summary>
    public Task<ProjectResponse> ResponseAsync(MwapDbContext db, ProjectRow row, CancellationToken cancellationToken) =>
        ResponseAsync(db, row, fileIndex, cancellationToken);

    private static async Task<ProjectResponse> ResponseAsync(MwapDbContext db, ProjectRow row, FilesPageCache fileIndex, CancellationToken cancellationToken)
    {
        var project = row.Project;
        var metadata = row.LastSync is not { } lastSync ? ProjectMetadata.NeverSynced
            // The totals change only when a sync commits: kept under the integration's index version, so a write to
            // the project (which drops its cached read) does not pay for the aggregate again.
            : await fileIndex.GetOrLoadAsync("project-totals", project.CloudIntegrationId, [project.Id, project.FolderPath, lastSync.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                () => MetadataAsync(db, project, lastSync, cancellationToken), _ => 1);
        return ProjectResponse.From(project, row.Members, metadata);
    }

    private static async Task<ProjectMetadata> MetadataAsync(MwapDbContext db, Project project, DateTime lastSync, CancellationToken cancellationToken)
    {
        var files = db.Set<VirtualFile>().AsNoTracking()
            .Where(f => f.TenantId == project.TenantId && f.IntegrationId == project.CloudIntegrationId && !f.IsFolder && f.Path != null);
        var root = ProjectFolderScope.NormalizeRoot(project.FolderPath).ToLowerInvariant();
        if (root.Length > 0)
        {
            var prefix = root + "/";
            files = files.Where(f => f.PathLower!.StartsWith(prefix));
        }

        var totals = await files.GroupBy(_ => 1).Select(g => new { Count = g.LongCount(), Size = g.Sum(f => f.Size ?? 0) }).FirstOrDefaultAsync(cancellationToken);
        return new ProjectMetadata(totals?.Count ?? 0, totals?.Size ?? 0, lastSync);
    }

    private static string Key(string projectId) => "project:" + projectId;

    private sealed class ProjectMissingException : Exception;
}

/// <summary>What a project's response is built from.</summary>
internal sealed record ProjectRow(Project Project, List<ProjectMember> Members, DateTime? LastSync);
