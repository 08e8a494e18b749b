using Hangfire;
using Hangfire.Storage;
using Mwap.Api.Infrastructure.Http;

namespace Mwap.Api.Features.Operations;

internal sealed record RecurringJobInfo(string Id, string Cron, string? TimeZone, DateTime? NextExecution, DateTime? LastExecution,
    string? LastJobId, string? LastJobState, string? Error);

internal sealed record FailedJobInfo(string JobId, string Job, string? RecurringJobId, DateTime? FailedAt, string? ExceptionType, string? ExceptionMessage);

internal sealed record JobsReport(int ServersOnline, IReadOnlyList<RecurringJobInfo> Recurring, long FailedCount, IReadOnlyList<FailedJobInfo> RecentFailures);

internal sealed record TriggeredJob(string RecurringJobId, string JobId);

/// <summary>
/// Reads Hangfire's storage (not this instance's server), so it answers on API-only instances (<c>Jobs:Enabled=false</c>)
/// too: triggering enqueues the job and whichever job server is running picks it up; <c>serversOnline</c> tells
/// whether one is. Exception messages are cut short and stack traces never leave the store.
/// </summary>
internal sealed class JobsMonitor(JobStorage storage, IRecurringJobManager recurring)
{
    public const string NotFoundCode = "job/not-found";
    private const int RecentFailures = 20;
    private const int MaxMessageLength = 300;

    public JobsReport Report()
    {
        var monitoring = storage.GetMonitoringApi();
        using var connection = storage.GetConnection();
        var jobs = connection.GetRecurringJobs()
            .OrderBy(j => j.Id, StringComparer.Ordinal)
            .Select(j => new RecurringJobInfo(j.Id, j.Cron, j.TimeZoneId, j.NextExecution, j.LastExecution, j.LastJobId, j.LastJobState, j.Error))
            .ToList();
        var failures = monitoring.FailedJobs(0, RecentFailures)
            .Select(pair => new FailedJobInfo(pair.Key,
                pair.Value.Job is { } job ? $"{job.Type.Name}.{job.Method.Name}" : "unknown",
                connection.GetJobParameter(pair.Key, "RecurringJobId")?.Trim('"'),
                pair.Value.FailedAt,
                pair.Value.ExceptionType,
                Shorten(pair.Value.ExceptionMessage)))
            .ToList();
        return new JobsReport(monitoring.Servers().Count, jobs, monitoring.FailedCount(), failures);
    }

    /// <summary>Runs the recurring job <paramref name="id"/> now (its schedule is unchanged); returns the new job's id.</summary>
    public TriggeredJob Trigger(string id)
    {
        using (var connection = storage.GetConnection())
        {
            if (!connection.GetRecurringJobs().Any(j => string.Equals(j.Id, id, StringComparison.Ordinal)))
            {
                throw new NotFoundException(NotFoundCode, $"Recurring job not found: {id}");
            }
        }

        var jobId = recurring is IRecurringJobManagerV2 v2 ? v2.TriggerJob(id) : null;
        if (jobId is null)
        {
            throw new NotFoundException(NotFoundCode, $"Recurring job not found: {id}");
        }

        return new TriggeredJob(id, jobId);
    }

    private static string? Shorten(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return message;
        }

        var firstLine = message.Split('\n', 2)[0].Trim();
        return firstLine.Length <= MaxMessageLength ? firstLine : firstLine[..MaxMessageLength] + "…";
    }
}
