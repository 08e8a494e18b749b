using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Usage;

/// <summary>
/// One tenant's usage figures for one UTC day, as last computed by the aggregation job that day (reruns overwrite it).
/// </summary>
internal sealed class TenantUsageDaily : ITenantOwned
{
    public const string TableName = "tenant_usage_daily";

    public string TenantId { get; init; } = null!;
    public DateOnly Day { get; init; }

    /// <summary>Sum of the tenant's integrations' request counters when computed.</summary>
    public long ProviderRequests { get; set; }

    /// <summary>Requests since the previous day's row (0 without one; never negative when an integration was removed).</summary>
    public long ProviderRequestsDelta { get; set; }

    public long FilesIndexed { get; set; }
    public long StorageBytes { get; set; }

    /// <summary>JSON object: provider slug → {files, bytes}.</summary>
    public string StorageByProvider { get; set; } = "{}";

    public int ActiveMembers { get; set; }
    public int Projects { get; set; }
    public int Integrations { get; set; }
    public DateTime? LastActivity { get; set; }
    public DateTime ComputedAt { get; set; }
}
