using Microsoft.Extensions.Caching.Memory;
using Mwap.Api.Infrastructure.Caching;
using Mwap.Api.Infrastructure.Observability;

namespace Mwap.Api.Features.Files;

/// <summary>
/// Pages of the file index as the files route returns them, in this instance's memory (issue 13: the files listing is
/// the client's hottest read after the project, and its rows change only when a sync commits). Each key carries the
/// integration's index version (<see cref="CacheEntryVersions"/>): every committed sync page, the end of every sync
/// and the deletion of an integration bump it here and, through <see cref="ICacheInvalidationBus"/>, on every other
/// instance, so the next request builds a new key and a page loaded before the bump is never read again, whatever
/// order the load and the commit finished in. Not in Redis: versions are per instance. Bounded by rows (about 20,000,
/// a few megabytes) and by a minute's lifetime, which is also the most a write from another process without Redis
/// (the <c>import</c> verb) can stay unseen. Singleton.
/// </summary>
internal sealed class FilesPageCache(CacheEntryVersions versions, ICacheInvalidationBus invalidations) : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private readonly MemoryCache _pages = new(new MemoryCacheOptions { SizeLimit = 20_000 });

    public async ValueTask<FilesPage> GetOrLoadAsync(ProjectRef project, FolderRef folder, FileListOptions options, Func<Task<FilesPage>> load)
    {
        var version = versions.Stamp(IndexKey(project.CloudIntegrationId)).Version;
        var key = string.Join('\n', project.CloudIntegrationId, version.ToString(System.Globalization.CultureInfo.InvariantCulture), project.Id,
            project.TenantId, project.FolderPath, folder.PathLower, options.Sort.Key, options.Type, options.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            options.Recursive ? "r" : "-", options.Search is null ? "-" : "s" + options.Search, options.Cursor ?? "-");
        if (_pages.TryGetValue(key, out FilesPage? cached) && cached is not null)
        {
            MwapMetrics.RecordCacheLookup("files", hit: true);
            return cached;
        }

        MwapMetrics.RecordCacheLookup("files", hit: false);
        var page = await load();
        _pages.Set(key, page, new MemoryCacheEntryOptions { Size = page.Data.Count + 1, AbsoluteExpirationRelativeToNow = Lifetime });
        return page;
    }

    /// <summary>The integration's index changed (call after the commit): its cached pages are stale here and everywhere.</summary>
    public async Task InvalidateAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        var key = IndexKey(integrationId);
        versions.Bump(key);
        await invalidations.PublishAsync([key], cancellationToken);
    }

    public void Dispose() => _pages.Dispose();

    private static string IndexKey(string integrationId) => "files-index:" + integrationId;
}
