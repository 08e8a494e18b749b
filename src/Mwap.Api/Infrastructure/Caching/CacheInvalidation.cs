using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Mwap.Api.Infrastructure.Caching;

/// <summary>
/// Tells the other instances that cache entries are stale. HybridCache's <c>RemoveAsync</c> clears this instance's
/// memory and the shared Redis level, but not the memory of the other instances; this closes that gap.
/// </summary>
internal interface ICacheInvalidationBus
{
    /// <summary>Asks every other instance to drop <paramref name="keys"/> from its local cache. Call after the local removal.</summary>
    Task PublishAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);
}

/// <summary>One instance, or no Redis: the local removal is all there is to do.</summary>
internal sealed class LocalCacheInvalidationBus : ICacheInvalidationBus
{
    public Task PublishAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) => Task.CompletedTask;
}

/// <summary>
/// Publishes invalidations on the Redis channel <c>{InstanceName}invalidate</c> and, as a hosted service, applies the
/// ones other instances publish. Messages carry the sender's id so an instance ignores its own. Pub/sub is fire-and-forget:
/// an instance that misses a message (Redis unreachable) keeps a stale entry at most for the entry's local lifetime.
/// Singleton: holds only the multiplexer and this instance's id.
/// </summary>
internal sealed partial class RedisCacheInvalidationBus(
    IConnectionMultiplexer redis, HybridCache cache, CacheEntryVersions versions, IOptions<RedisOptions> options, ILogger<RedisCacheInvalidationBus> logger)
    : ICacheInvalidationBus, IHostedService
{
    private readonly string _instanceId = Guid.NewGuid().ToString("N");

    private RedisChannel Channel => RedisChannel.Literal(options.Value.InvalidationChannel);

    public async Task PublishAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        if (keys.Count == 0)
        {
            return;
        }

        try
        {
            var message = JsonSerializer.Serialize(new InvalidationMessage(_instanceId, [.. keys]));
            await redis.GetSubscriber().PublishAsync(Channel, message);
        }
        catch (RedisException e)
        {
            LogPublishFailed(logger, e);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // StackExchange.Redis re-subscribes by itself after a reconnect, so one subscription lasts the process.
        var queue = await redis.GetSubscriber().SubscribeAsync(Channel);
        queue.OnMessage(async message =>
        {
            var payload = JsonSerializer.Deserialize<InvalidationMessage>(message.Message.ToString());
            if (payload is null || payload.Sender == _instanceId)
            {
                return;
            }

            foreach (var key in payload.Keys)
            {
                // Bump first, so a load of this key already in flight here cannot put its stale answer back.
                versions.Bump(key);
                await cache.RemoveAsync(key);
            }
        });
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await redis.GetSubscriber().UnsubscribeAsync(Channel);

    private sealed record InvalidationMessage(string Sender, string[] Keys);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish a cache invalidation to Redis; other instances keep their entry until it expires")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);
}
