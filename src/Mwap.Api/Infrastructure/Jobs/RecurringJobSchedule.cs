using Hangfire;
using Microsoft.Extensions.Options;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.Files.Sync;
using Mwap.Api.Features.Integrations.Health;
using Mwap.Api.Features.Integrations.Tokens;
using Mwap.Api.Features.Notifications;
using Mwap.Api.Features.Operations;
using Mwap.Api.Features.Usage;
using Mwap.Api.Features.Webhooks;

namespace Mwap.Api.Infrastructure.Jobs;

/// <summary>
/// Every recurring schedule, in one list. Registered when a job-running instance starts; AddOrUpdate is
/// idempotent, and Hangfire runs each occurrence once across instances.
/// </summary>
internal sealed class RecurringJobSchedule(IRecurringJobManager recurring, IOptions<JobsOptions> options, IOptions<IntegrationJobsOptions> integrations,
    IOptions<UsageJobOptions> usage, IOptions<AlertsJobOptions> alerts, IOptions<WebhooksOptions> webhooks) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        recurring.AddOrUpdate<AuditLogRetentionJob>(AuditLogRetentionJob.RecurringJobId,
            job => job.RunAsync(CancellationToken.None), options.Value.AuditLogRetentionCron, utc);
        recurring.AddOrUpdate<TokenRefreshJob>(TokenRefreshJob.RecurringJobId,
            job => job.RunAsync(CancellationToken.None), integrations.Value.RefreshCron, utc);
        recurring.AddOrUpdate<IntegrationHealthJob>(IntegrationHealthJob.RecurringJobId,
            job => job.RunAsync(CancellationToken.None), integrations.Value.HealthCheckCron, utc);
        recurring.AddOrUpdate<FileSyncJob>(FileSyncJob.RecurringJobId,
            job => job.RunAsync(CancellationToken.None), integrations.Value.SyncCron, utc);
        recurring.AddOrUpdate<MaintenanceJob>(MaintenanceJob.RecurringJobId,
            job => job.RunAsync(CancellationToken.None), options.Value.MaintenanceCron, utc);
        recurring.AddOrUpdate<UsageAggregationJob>(UsageAggregationJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), usage.Value.UsageCron, utc);
        recurring.AddOrUpdate<IntegrationAlertsJob>(IntegrationAlertsJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), alerts.Value.AlertsCron, utc);
        if (webhooks.Value.Enabled)
        {
            recurring.AddOrUpdate<ChangeSubscriptionJob>(ChangeSubscriptionJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), webhooks.Value.RenewalCron, utc);
        }
        else
        {
            recurring.RemoveIfExists(ChangeSubscriptionJob.RecurringJobId);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
