using System.ComponentModel.DataAnnotations;

namespace Mwap.Api.Features.Usage;

/// <summary>Schedule of the usage aggregation (<c>Jobs:UsageCron</c>), bound from the jobs section.</summary>
internal sealed class UsageJobOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Cron (UTC) of the usage aggregation job (default hourly, five past).</summary>
    [Required]
    public string UsageCron { get; set; } = "5 * * * *";
}
