using StackExchange.Redis;

namespace Mwap.Api.Infrastructure.Caching;

/// <summary>
/// Fixed-window counters in Redis, so a user's limit holds across every instance. One script call per request:
/// INCR, and on the window's first request PEXPIRE; the key's remaining lifetime is the time to the reset.
/// Singleton: holds only the multiplexer.
/// </summary>
internal sealed partial class RedisRateLimitStore(IConnectionMultiplexer redis, Microsoft.Extensions.Options.IOptions<RedisOptions> options,
    ILogger<RedisRateLimitStore> logger)
{
    // A key left without a lifetime (a crash between INCR and PEXPIRE cannot happen in a script, but a manual SET can)
    // would never reset, so the script repairs it.
    private const string Script = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
        return { count, ttl }
        """;

    /// <summary>Counts one request in <paramref name="key"/>'s window; null when Redis cannot answer (the caller falls back to its local count).</summary>
    public async Task<(long Count, TimeSpan UntilReset)?> IncrementAsync(string key, TimeSpan window)
    {
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script,
                [(RedisKey)(options.Value.InstanceName + "rl:" + key)], [(long)window.TotalMilliseconds]))!;
            return ((long)result[0], TimeSpan.FromMilliseconds((long)result[1]));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogUnavailable(logger, e);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis rate-limit counter unavailable; this instance counts on its own until it is back")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}
