using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mwap.Api.Infrastructure.Jobs;

/// <summary>
/// Ready only when the job store answers. Hangfire's storage calls are synchronous and retry for a long time when the
/// database is down, so the check gives up after a few seconds: readiness must report an outage promptly.
/// </summary>
internal sealed class JobStorageHealthCheck(IServiceProvider services) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await Task.Run(() =>
            {
                // Resolved here, not injected: building the storage connects to the database and may block.
                using var connection = services.GetRequiredService<JobStorage>().GetConnection();
                connection.GetFirstByLowestScoreFromSet("recurring-jobs", 0, 0);
            }, cancellationToken).WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Job storage did not answer in time");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("Job storage unreachable");
        }
    }
}
