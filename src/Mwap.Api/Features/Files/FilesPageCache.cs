using System.Globalization;
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
/// a few megabytes) and by a minute's lifetime; an import from another process clears it (<see cref="Import.ImportWatcher"/>).
/// Singleton.
/// </summary>
internal sealed class FilesPageCache(CacheEntryVersions versions, ICacheInvalidationBus invalidations) : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private readonly MemoryCache _pages = new(new MemoryCacheOptions { SizeLimit = 20_000 });
    private readonly Doorkeeper _doorkeeper = new();

    public ValueTask<FilesPage> GetOrLoadAsync(ProjectRef project, FolderRef folder, FileListOptions options, Func<Task<FilesPage>> load) =>
        GetOrLoadAsync("files", project.CloudIntegrationId,
            [project.Id, project.TenantId, project.FolderPath, folder.PathLower, options.Sort.Key, options.Type,
             options.Limit.ToString(CultureInfo.InvariantCulture), options.Recursive ? "r" : "-", options.Search is null ? "-" : "s" + options.Search, options.Cursor ?? "-"],
            load, page => page.Data.Count + 1, admitOnSecondRequest: options.Search is not null);

    /// <summary>
    /// Anything computed from the integration's index alone (a project's file count and size), under the same versions.
    /// With <paramref name="admitOnSecondRequest"/> a value is kept only when the same key was asked for recently
    /// (<see cref="Doorkeeper"/>): searches are mostly asked once, and keeping every one would fill the cache with pages
    /// nobody reads again, pushing out the folder pages that are, and make the garbage collector promote each to the
    /// oldest generation before it dies there (issue 13: a new term per request was a tenth of the time in GC pauses).
    /// </summary>
    public async ValueTask<T> GetOrLoadAsync<T>(string kind, string integrationId, string[] parts, Func<Task<T>> load, Func<T, int> size,
        bool admitOnSecondRequest = false)
        where T : class
    {
        var version = versions.Stamp(IndexKey(integrationId)).Version;
        var key = string.Join('\n', [kind, integrationId, version.ToString(CultureInfo.InvariantCulture), .. parts]);
        if (_pages.TryGetValue(key, out T? cached) && cached is not null)
        {
            MwapMetrics.RecordCacheLookup(kind, hit: true);
            return cached;
        }

        MwapMetrics.RecordCacheLookup(kind, hit: false);
        var value = await load();
        if (!admitOnSecondRequest || _doorkeeper.SeenBefore(key))
        {
            _pages.Set(key, value, new MemoryCacheEntryOptions { Size = size(value), AbsoluteExpirationRelativeToNow = Lifetime });
        }

        return value;
    }

    /// <summary>The integration's index changed (call after the commit): its cached pages are stale here and everywhere.</summary>
    public async Task InvalidateAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        var key = IndexKey(integrationId);
        versions.Bump(key);
        await invalidations.PublishAsync([key], cancellationToken);
    }

    /// <summary>Forgets every page here (an import from another process wrote to the index).</summary>
    public void Clear() => _pages.Clear();

    public void Dispose() => _pages.Dispose();

    private static string IndexKey(string integrationId) => "files-index:" + integrationId;
}
