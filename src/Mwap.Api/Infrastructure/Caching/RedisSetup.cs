using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Mwap.Api.Infrastructure.Caching;

internal static class RedisSetup
{
    /// <summary>
    /// With <c>Redis:ConnectionString</c>: Redis becomes HybridCache's second level (shared by every instance), role
    /// invalidations are broadcast over pub/sub, per-user rate limits are counted in Redis, and <c>/health/ready</c>
    /// includes a PING. Without it every instance caches and counts on its own, as a single instance needs.
    /// </summary>
    public static WebApplicationBuilder AddRedis(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName);
        var options = builder.Configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions();
        builder.Services.AddSingleton<CacheEntryVersions>();
        if (!options.Enabled)
        {
            builder.Services.AddSingleton<ICacheInvalidationBus, LocalCacheInvalidationBus>();
            return builder;
        }

        // Connects in the background and keeps reconnecting: a Redis outage degrades the cache, it does not stop the server.
        builder.Services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var configuration = ConfigurationOptions.Parse(sp.GetRequiredService<IOptions<RedisOptions>>().Value.ConnectionString!);
            configuration.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(configuration);
        });
        builder.Services.AddStackExchangeRedisCache(_ => { });
        builder.Services.AddOptions<Microsoft.Extensions.Caching.StackExchangeRedis.RedisCacheOptions>()
            .Configure<IServiceProvider, IOptions<RedisOptions>>((cache, sp, redis) =>
            {
                cache.InstanceName = redis.Value.InstanceName;
                cache.ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>());
            });
        builder.Services.AddSingleton<RedisCacheInvalidationBus>();
        builder.Services.AddSingleton<ICacheInvalidationBus>(sp => sp.GetRequiredService<RedisCacheInvalidationBus>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RedisCacheInvalidationBus>());
        builder.Services.AddSingleton<RedisRateLimitStore>();
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return builder;
    }
}
