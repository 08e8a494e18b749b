using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Mwap.Api.Infrastructure.Caching;
using Mwap.Api.Infrastructure.Observability;

namespace Mwap.Api.Features.Integrations;

/// <summary>
/// A tenant's integrations as <c>GET /tenants/{t}/integrations</c> returns them, in this instance's memory (issue 13:
/// one round trip per request kept the route at 0.15 × the roles route). The rows change with every provider call
/// (usage counters, health, sync state), so correctness rests on versions, not on a lifetime: every write that changes
/// what the list shows bumps a counter (<see cref="CacheEntryVersions"/>) here and, through
/// <see cref="ICacheInvalidationBus"/>, on every other instance — per integration (<see cref="ChangedAsync"/>), per
/// tenant for creations and deletions (<see cref="TenantChangedAsync"/>), and once for all for provider renames.
/// Tracked saves are seen by <see cref="IntegrationChangesInterceptor"/>; the <c>ExecuteUpdate</c> writes that change a
/// visible column call <see cref="ChangedAsync"/> after they commit (sync state, health, usage, queued sync).
/// A load reads the counters before it reads the database and the entry is served only while none has moved since,
/// so a write racing a load always wins. Lease, cursor and job-id columns are not in the response and bump nothing.
/// Singleton; bounded by a thousand tenants and a minute's lifetime (which also bounds a missed Redis message).
/// </summary>
internal sealed class IntegrationReadCache(CacheEntryVersions versions, ICacheInvalidationBus invalidations) : IDisposable
{
    private const string ProvidersKey = "integration-providers";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private readonly MemoryCache _lists = new(new MemoryCacheOptions { SizeLimit = 1_000 });

    // The integration ids a tenant had at its last load: their counters are read before the next load starts. One small
    // array per tenant ever listed here (not bounded by the cache's size; a few hundred KB for 10,000 tenants).
    private readonly ConcurrentDictionary<string, string[]> _knownIds = new(StringComparer.Ordinal);

    private sealed record Entry(IReadOnlyList<IntegrationResponse> Value, (string Key, long Version)[] Stamps);

    public async ValueTask<IReadOnlyList<IntegrationResponse>> GetListAsync(string tenantId, Func<Task<IReadOnlyList<IntegrationResponse>>> load)
    {
        if (_lists.TryGetValue(tenantId, out Entry? cached) && cached is not null && Current(cached.Stamps))
        {
            MwapMetrics.RecordCacheLookup("integrations", hit: true);
            return cached.Value;
        }

        MwapMetrics.RecordCacheLookup("integrations", hit: false);
        var known = _knownIds.TryGetValue(tenantId, out var ids) ? ids : [];
        var stamps = known.Select(IntegrationKey).Append(TenantKey(tenantId)).Append(ProvidersKey)
            .Select(key => (key, versions.Version(key))).ToArray();
        var value = await load();
        var loaded = value.Select(i => i.Id).ToArray();
        _knownIds[tenantId] = loaded;
        // An integration this load did not stamp beforehand (one created since the last load) might have been written
        // during the read: serve the answer but keep it only once a load stamped every id it returns.
        if (loaded.All(known.Contains))
        {
            _lists.Set(tenantId, new Entry(value, stamps), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        }

        return value;
    }

    /// <summary>An integration's visible columns changed (call after the commit): here and on every other instance.</summary>
    public Task ChangedAsync(string integrationId, CancellationToken cancellationToken = default) =>
        BumpAsync([IntegrationKey(integrationId)], cancellationToken);

    /// <summary>Integrations were added to or removed from the tenant (call after the commit).</summary>
    public Task TenantChangedAsync(string tenantId, CancellationToken cancellationToken = default) =>
        BumpAsync([TenantKey(tenantId)], cancellationToken);

    /// <summary>Several changes at once (the interceptor's), in one message to the other instances.</summary>
    public Task ChangedManyAsync(IEnumerable<string> integrationIds, IEnumerable<string> tenantIds, bool providers, CancellationToken cancellationToken = default) =>
        BumpAsync([.. integrationIds.Select(IntegrationKey), .. tenantIds.Select(TenantKey), .. providers ? [ProvidersKey] : Array.Empty<string>()], cancellationToken);

    /// <summary>Forgets every list here (an import from another process wrote integrations).</summary>
    public void Clear() => _lists.Clear();

    public void Dispose() => _lists.Dispose();

    private bool Current((string Key, long Version)[] stamps)
    {
        foreach (var (key, version) in stamps)
        {
            if (versions.Version(key) != version)
            {
                return false;
            }
        }

        return true;
    }

    private async Task BumpAsync(string[] keys, CancellationToken cancellationToken)
    {
        if (keys.Length == 0)
        {
            return;
        }

        foreach (var key in keys)
        {
            versions.Bump(key);
        }

        await invalidations.PublishAsync(keys, cancellationToken);
    }

    private static string IntegrationKey(string integrationId) => "integration:" + integrationId;

    private static string TenantKey(string tenantId) => "integrations-of:" + tenantId;
}
