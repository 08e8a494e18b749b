using Hangfire;
using Microsoft.Extensions.Options;
using Mwap.Api.Features.AuditLog;

namespace Mwap.Api.Infrastructure.Jobs;

/// <summary>
/// Every recurring schedule, in one list. Registered when a job-running instance starts; AddOrUpdate is
/// idempotent, and Hangfire runs each occurrence once across instances.
/// </summary>
internal sealed class RecurringJobSchedule(IRecurringJobManager recurring, IOptions<JobsOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        recurring.AddOrUpdate<AuditLogRetentionJob>(AuditLogRetentionJob.RecurringJobId,
            job => job.RunAsync(CancellationToken.None), options.Value.AuditLogRetentionCron, utc);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
