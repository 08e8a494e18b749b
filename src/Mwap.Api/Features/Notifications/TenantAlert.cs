using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Notifications;

/// <summary>
/// An integration condition the tenant owner was told about. At most one per integration, condition and UTC day
/// (a unique index), so a condition that lasts is reported once a day, however often the detection job runs.
/// </summary>
internal sealed class TenantAlert : ITenantOwned, IHasTimestamps
{
    public const string TableName = "tenant_alerts";

    public string Id { get; init; } = null!;
    public string TenantId { get; init; } = null!;
    public string IntegrationId { get; init; } = null!;

    /// <summary>One of <see cref="AlertConditions"/>.</summary>
    public string Condition { get; init; } = null!;

    public DateOnly Day { get; init; }
    public string ProviderSlug { get; init; } = null!;
    public string ProviderName { get; init; } = null!;

    /// <summary>What happened and what to do, as the email says it.</summary>
    public string Message { get; init; } = null!;

    /// <summary>The provider's or sync's last error, when there is one (never a secret: these texts are already stored without them).</summary>
    public string? Detail { get; init; }

    /// <summary>One of <see cref="EmailStatuses"/>.</summary>
    public string EmailStatus { get; set; } = EmailStatuses.Pending;

    public int EmailAttempts { get; set; }
    public string? EmailError { get; set; }
    public DateTime? EmailSentAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal static class AlertConditions
{
    /// <summary>The integration's status is expired or revoked: the owner must connect it again.</summary>
    public const string ReconsentRequired = "reconsent-required";

    /// <summary>The health check found the account unhealthy.</summary>
    public const string Unhealthy = "unhealthy";

    /// <summary>The file sync failed several times in a row.</summary>
    public const string SyncFailing = "sync-failing";
}

internal static class EmailStatuses
{
    /// <summary>Waiting to be sent (first attempt, or a retry after a failure).</summary>
    public const string Pending = "pending";

    public const string Sent = "sent";

    /// <summary>The last attempt failed; retried on later runs until <c>Alerts:MaxEmailAttempts</c>.</summary>
    public const string Failed = "failed";

    /// <summary>No SMTP host is configured.</summary>
    public const string Disabled = "disabled";

    /// <summary>The tenant has no owner email address on record.</summary>
    public const string NoAddress = "no-address";
}
