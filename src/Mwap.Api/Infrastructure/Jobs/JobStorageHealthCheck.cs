using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mwap.Api.Infrastructure.Jobs;

/// <summary>Ready only when the job store answers.</summary>
internal sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var connection = storage.GetConnection();
            connection.GetFirstByLowestScoreFromSet("recurring-jobs", 0, 0);
            return Task.FromResult(HealthCheckResult.Healthy());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Job storage unreachable"));
        }
    }
}
