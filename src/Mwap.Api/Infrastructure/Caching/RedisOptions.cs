namespace Mwap.Api.Infrastructure.Caching;

/// <summary>The shared cache of several instances (<c>Redis:*</c>); unset means every instance caches on its own.</summary>
internal sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>StackExchange.Redis configuration, e.g. <c>redis.internal:6379,password=…,ssl=true</c>. Unset turns Redis off.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Prefix of every key and channel this deployment uses in Redis (default <c>mwap:</c>), so deployments can share a server.</summary>
    public string InstanceName { get; set; } = "mwap:";

    public bool Enabled => !string.IsNullOrWhiteSpace(ConnectionString);

    /// <summary>The pub/sub channel that carries cache invalidations between instances.</summary>
    public string InvalidationChannel => InstanceName + "invalidate";
}
