using System.ComponentModel.DataAnnotations;

namespace Mwap.Api.Features.Webhooks;

/// <summary>Change notifications from the providers (<c>Webhooks:*</c>).</summary>
internal sealed class WebhooksOptions : IValidatableObject
{
    public const string SectionName = "Webhooks";

    /// <summary>
    /// The public base URL the providers reach this server on, e.g. <c>https://api.example.com</c> (providers only
    /// call public https URLs). Unset (the default): no webhook routes answer and the 10-minute schedule alone syncs.
    /// </summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Largest notification body accepted, in bytes (default 262144).</summary>
    [Range(1024, 10 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// How long a Graph subscription or Drive channel is asked to live, in minutes (default 4320, three days). At most
    /// 10080: Drive's limit for a changes channel is one week (Graph's for driveItem is 42,300 minutes).
    /// </summary>
    [Range(60, 10080)]
    public int SubscriptionLifetimeMinutes { get; set; } = 3 * 24 * 60;

    /// <summary>Renew a subscription once it expires within this many minutes (default 1440); must exceed the renewal job's period.</summary>
    [Range(30, 10080)]
    public int RenewBeforeMinutes { get; set; } = 24 * 60;

    /// <summary>Cron (UTC) of the job that renews subscriptions and creates missing ones (default every 30 minutes).</summary>
    [Required]
    public string RenewalCron { get; set; } = "*/30 * * * *";

    public bool Enabled => !string.IsNullOrWhiteSpace(PublicBaseUrl);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RenewBeforeMinutes >= SubscriptionLifetimeMinutes)
        {
            yield return new ValidationResult("RenewBeforeMinutes must be less than SubscriptionLifetimeMinutes", [nameof(RenewBeforeMinutes)]);
        }
    }
}
