using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Mwap.Api.Infrastructure.Caching;

/// <summary>Ready only when Redis answers a PING within a few seconds (registered only when Redis is configured).</summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:0.0} ms");
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis did not answer in time");
        }
        catch (RedisException)
        {
            return HealthCheckResult.Unhealthy("Redis unreachable");
        }
    }
}
