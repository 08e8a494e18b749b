using System.Diagnostics;
using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Mwap.Api.Infrastructure.Observability;

namespace Mwap.Api.Infrastructure.Jobs;

/// <summary>
/// Every job run gets a span (<c>job {name}</c> under <see cref="MwapMetrics.ActivitySourceName"/>) and is recorded
/// in <c>mwap.job.duration</c> and, when it throws, <c>mwap.job.failures</c>. The name is the recurring job id when
/// the run came from a schedule, else <c>Type.Method</c>: a bounded set either way.
/// </summary>
internal sealed class JobTelemetryFilter : IServerFilter
{
    private const string StartedKey = "mwap:started";
    private const string ActivityKey = "mwap:activity";
    private static readonly Lock Gate = new();
    private static bool _registered;

    /// <summary>
    /// Registers the filter once per process. Hangfire's filter list is global, and the filter is stateless (it only
    /// writes to the static instruments), so several hosts in one process share one registration.
    /// </summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (!_registered)
            {
                GlobalJobFilters.Filters.Add(new JobTelemetryFilter());
                _registered = true;
            }
        }
    }

    public void OnPerforming(PerformingContext context)
    {
        var name = JobName(context);
        var activity = MwapMetrics.ActivitySource.StartActivity($"job {name}", ActivityKind.Internal);
        activity?.SetTag("job.name", name);
        activity?.SetTag("job.id", context.BackgroundJob.Id);
        context.Items[StartedKey] = Stopwatch.GetTimestamp();
        context.Items[ActivityKey] = activity;
    }

    public void OnPerformed(PerformedContext context)
    {
        var failed = context.Exception is not null && !context.ExceptionHandled;
        if (context.Items.TryGetValue(StartedKey, out var started) && started is long timestamp)
        {
            MwapMetrics.RecordJob(JobName(context), Stopwatch.GetElapsedTime(timestamp), failed);
        }

        if (context.Items.TryGetValue(ActivityKey, out var value) && value is Activity activity)
        {
            if (failed)
            {
                // The exception type only: messages can quote provider responses.
                activity.SetStatus(ActivityStatusCode.Error, context.Exception!.GetType().Name);
            }

            activity.Dispose();
        }
    }

    private static string JobName(PerformContext context)
    {
        string? recurringId = null;
        try
        {
            recurringId = context.GetJobParameter<string>("RecurringJobId");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An unreadable parameter only costs the nicer name.
        }

        return recurringId ?? Name(context.BackgroundJob.Job);
    }

    private static string Name(Job? job) => job is null ? "unknown" : $"{job.Type.Name}.{job.Method.Name}";
}
