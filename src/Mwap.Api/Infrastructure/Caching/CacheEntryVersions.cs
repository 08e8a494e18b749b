using System.Collections.Concurrent;

namespace Mwap.Api.Infrastructure.Caching;

/// <summary>Who loaded a cached value, and the key's invalidation count read before the load began.</summary>
internal sealed record CacheStamp(string InstanceId, long Version);

/// <summary>
/// Per-key invalidation counters of this instance. A load reads the counter before it reads the database and stamps its
/// value with it; an invalidation bumps the counter before it removes the entry. A value whose stamp is behind the
/// counter was read before the invalidation (an in-flight load that finished after the removal) and must not be served,
/// so an invalidation always wins over a racing load. Stamps from another instance cannot be compared: for those the
/// Redis invalidation message is what counts. Singleton; holds one counter per key ever invalidated (a few per user).
/// </summary>
internal sealed class CacheEntryVersions
{
    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);

    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public CacheStamp Stamp(string key) => new(InstanceId, Version(key));

    /// <summary>The key's invalidation count on this instance (0 before the first).</summary>
    public long Version(string key) => _versions.TryGetValue(key, out var v) ? v : 0;

    public void Bump(string key) => _versions.AddOrUpdate(key, 1, (_, v) => v + 1);

    /// <summary>True when <paramref name="stamp"/> was taken here before the key's latest invalidation.</summary>
    public bool IsStale(string key, CacheStamp? stamp) =>
        stamp is not null && stamp.InstanceId == InstanceId && stamp.Version != (_versions.TryGetValue(key, out var v) ? v : 0);
}
