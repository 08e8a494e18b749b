using System.Globalization;

namespace Mwap.WebConsole.Services;

/// <summary>One line or bar set: a name and one value per day of the range (null where the day has no row).</summary>
public sealed record UsageSeries(string Name, IReadOnlyList<double?> Values);

/// <summary>
/// The usage charts' data from the API's answer: every day of the requested range on the x axis (days the job did not
/// compute stay empty instead of being drawn as zero), files, members, provider requests per day and storage per provider.
/// </summary>
public sealed class UsageCharts
{
    private UsageCharts(IReadOnlyList<string> days, IReadOnlyList<string> labels, UsageSeries files, UsageSeries members, UsageSeries requests,
        IReadOnlyList<UsageSeries> storage, string storageUnit)
    {
        StorageUnit = storageUnit;
        Days = days;
        Labels = labels;
        Files = files;
        Members = members;
        Requests = requests;
        Storage = storage;
    }

    /// <summary>Every day from <c>from</c> to <c>to</c> as <c>YYYY-MM-DD</c>.</summary>
    public IReadOnlyList<string> Days { get; }

    /// <summary>The x axis: <c>MM-dd</c> on about eight evenly spaced days ending today, blank elsewhere so 90 labels do not overlap.</summary>
    public IReadOnlyList<string> Labels { get; }

    public UsageSeries Files { get; }
    public UsageSeries Members { get; }

    /// <summary>
    /// Provider requests so far (the API's running <c>providerRequests</c>): its slope is the daily rate, and unlike the
    /// per-day delta (zero on a tenant's first day by definition) it shows something from the first day on.
    /// </summary>
    public UsageSeries Requests { get; }

    /// <summary>Storage in <see cref="StorageUnit"/>, one series per provider slug seen in the range, alphabetically.</summary>
    public IReadOnlyList<UsageSeries> Storage { get; }

    /// <summary>B, KB, MB or GB: the largest in which the range's biggest day is at least 1, so small tenants do not draw zeros.</summary>
    public string StorageUnit { get; }

    public static UsageCharts From(UsageReport report)
    {
        var from = Parse(report.From);
        var to = Parse(report.To);
        var days = new List<string>();
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            days.Add(Format(d));
        }

        var byDay = report.Daily.GroupBy(u => u.Day, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        UsageSeries Series(string name, Func<UsageDay, double> value) =>
            new(name, [.. days.Select(d => byDay.TryGetValue(d, out var u) ? value(u) : (double?)null)]);

        var providers = report.Daily.SelectMany(u => u.StorageByProvider?.Keys ?? Enumerable.Empty<string>())
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var most = report.Daily.Select(u => u.StorageByProvider?.Values.Sum(v => v.Bytes) ?? 0).DefaultIfEmpty(0).Max();
        var (unit, divisor) = most >= 1L << 30 ? ("GB", 1L << 30) : most >= 1L << 20 ? ("MB", 1L << 20) : most >= 1L << 10 ? ("KB", 1L << 10) : ("B", 1L);
        var storage = providers.Select(p => Series(p, u => u.StorageByProvider is { } s && s.TryGetValue(p, out var v) ? Math.Round(v.Bytes / (double)divisor, 2) : 0))
            .ToList();

        var step = Math.Max(1, (int)Math.Ceiling(days.Count / 8.0));
        var labels = days.Select((d, i) => (days.Count - 1 - i) % step == 0 ? d[5..] : "").ToList();
        return new UsageCharts(days, labels, Series("Files indexed", u => u.FilesIndexed), Series("Active members", u => u.ActiveMembers),
            Series("Provider requests", u => u.ProviderRequests), storage, unit);
    }

    private static DateOnly Parse(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>How the console shows an alert's condition: re-consent needs the owner now; the rest are warnings.</summary>
public static class AlertSeverity
{
    public static MudBlazor.Severity Of(string condition) => condition switch
    {
        "reconsent-required" => MudBlazor.Severity.Error,
        "unhealthy" or "sync-failing" => MudBlazor.Severity.Warning,
        _ => MudBlazor.Severity.Info,
    };

    public static string Label(string condition) => condition switch
    {
        "reconsent-required" => "Reconnect needed",
        "unhealthy" => "Unhealthy",
        "sync-failing" => "Sync failing",
        _ => condition,
    };
}
