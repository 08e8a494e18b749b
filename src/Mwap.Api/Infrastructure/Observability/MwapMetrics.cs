using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mwap.Api.Infrastructure.Observability;

/// <summary>
/// MWAP's own instruments, on the meter <c>Mwap.Api</c>, and the activity source jobs trace under. Static so any code
/// (services, jobs, filters) can record without injection; the instruments are stateless, and each host's meter
/// provider (OTLP, Prometheus) subscribes to them by name. Tags are bounded sets (route templates, provider slugs,
/// job ids, results), never ids of rows, users or tokens.
/// </summary>
internal static class MwapMetrics
{
    public const string MeterName = "Mwap.Api";
    public const string ActivitySourceName = "Mwap.Api";

    private static readonly Meter Meter = new(MeterName, "1.0");

    /// <summary>Spans of MWAP's own work (one per job run).</summary>
    public static readonly ActivitySource ActivitySource = new(ActivitySourceName, "1.0");

    private static readonly Counter<long> HttpRequests = Meter.CreateCounter<long>("mwap.http.requests", "{request}",
        "HTTP requests by route template, method and status code");
    private static readonly Counter<long> TokenRefreshes = Meter.CreateCounter<long>("mwap.token_refreshes", "{refresh}",
        "OAuth token refreshes at the provider, by result (ok|failed)");
    private static readonly Counter<long> HealthChecks = Meter.CreateCounter<long>("mwap.health_checks", "{check}",
        "Integration health checks by result (healthy|degraded|unhealthy|error)");
    private static readonly Counter<long> FilesIndexed = Meter.CreateCounter<long>("mwap.files_indexed", "{file}",
        "Files written to the index, by provider");
    private static readonly Histogram<double> SyncDuration = Meter.CreateHistogram<double>("mwap.sync.duration", "s",
        "Duration of one folder sync, by provider and kind (full|incremental)");
    private static readonly Histogram<double> JobDuration = Meter.CreateHistogram<double>("mwap.job.duration", "s",
        "Duration of one background job run, by job");
    private static readonly Counter<long> JobFailures = Meter.CreateCounter<long>("mwap.job.failures", "{failure}",
        "Background job runs that threw, by job");
    private static readonly Counter<long> CacheHits = Meter.CreateCounter<long>("mwap.cache.hits", "{hit}", "Cache hits, by cache");
    private static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>("mwap.cache.misses", "{miss}", "Cache misses, by cache");
    private static readonly Histogram<int> ProjectEditBatch = Meter.CreateHistogram<int>("mwap.project_edits.batch_size", "{edit}",
        "Project edits committed in one transaction (group commit of PATCH /projects/{id})");

    /// <summary>One HTTP request; <paramref name="route"/> is the endpoint's template (never the raw path or query).</summary>
    public static void RecordHttpRequest(string route, string method, int statusCode) =>
        HttpRequests.Add(1, new("route", route), new("method", method), new("status_code", statusCode));

    /// <summary>One token refresh attempt at the provider.</summary>
    public static void RecordTokenRefresh(bool succeeded) =>
        TokenRefreshes.Add(1, new KeyValuePair<string, object?>("result", succeeded ? "ok" : "failed"));

    /// <summary>One health check; <paramref name="result"/> is healthy, degraded, unhealthy or error.</summary>
    public static void RecordHealthCheck(string result) =>
        HealthChecks.Add(1, new KeyValuePair<string, object?>("result", result));

    /// <summary>Files written to the index outside a sync run (a sync run records them through <see cref="RecordSync"/>).</summary>
    public static void RecordFilesIndexed(string provider, long count)
    {
        if (count > 0)
        {
            FilesIndexed.Add(count, new KeyValuePair<string, object?>("provider", provider));
        }
    }

    /// <summary>One sync run of a folder: its duration and the files it indexed. <paramref name="kind"/> is e.g. full or incremental.</summary>
    public static void RecordSync(string provider, string kind, TimeSpan duration, int filesIndexed)
    {
        SyncDuration.Record(duration.TotalSeconds, new("provider", provider), new("kind", kind));
        RecordFilesIndexed(provider, filesIndexed);
    }

    /// <summary>One background job run (recorded by the Hangfire server filter for every job).</summary>
    public static void RecordJob(string job, TimeSpan duration, bool failed)
    {
        var tag = new KeyValuePair<string, object?>("job", job);
        JobDuration.Record(duration.TotalSeconds, tag);
        if (failed)
        {
            JobFailures.Add(1, tag);
        }
    }

    /// <summary>One cache lookup, a hit or a miss, in the cache named <paramref name="cache"/> (e.g. roles).</summary>
    public static void RecordCacheLookup(string cache, bool hit) =>
        (hit ? CacheHits : CacheMisses).Add(1, new KeyValuePair<string, object?>("cache", cache));

    /// <summary>One group commit of project edits and how many edits it took.</summary>
    public static void RecordProjectEditBatch(int edits) => ProjectEditBatch.Record(edits);
}
