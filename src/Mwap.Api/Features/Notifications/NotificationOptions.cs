using System.ComponentModel.DataAnnotations;

namespace Mwap.Api.Features.Notifications;

/// <summary>Outgoing mail (<c>Smtp:*</c>). Without a host, email is off and alerts are only recorded.</summary>
internal sealed class SmtpOptions : IValidatableObject
{
    public const string SectionName = "Smtp";

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>Sender address (required with a host), e.g. <c>MWAP &lt;alerts@example.com&gt;</c>.</summary>
    public string? From { get; set; }

    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>none | starttls | ssl | auto (MailKit's choice by port).</summary>
    [RegularExpression("^(none|starttls|ssl|auto)$", ErrorMessage = "Must be none, starttls, ssl or auto")]
    public string Security { get; set; } = "auto";

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && string.IsNullOrWhiteSpace(From))
        {
            yield return new ValidationResult("Smtp:From is required when Smtp:Host is set", [nameof(From)]);
        }

        if (Enabled && From is not null && !MimeKit.MailboxAddress.TryParse(From, out _))
        {
            yield return new ValidationResult("Smtp:From is not an email address", [nameof(From)]);
        }
    }
}

/// <summary>Alert detection (<c>Alerts:*</c>).</summary>
internal sealed class AlertsOptions
{
    public const string SectionName = "Alerts";

    /// <summary>Consecutive failed syncs after which the owner is told (default 3).</summary>
    [Range(1, 1000)]
    public int SyncFailureThreshold { get; set; } = 3;

    /// <summary>Attempts to send one alert's email (the first plus retries on later runs; default 3).</summary>
    [Range(1, 100)]
    public int MaxEmailAttempts { get; set; } = 3;
}

/// <summary>Schedule of the detection job (<c>Jobs:AlertsCron</c>), bound from the jobs section.</summary>
internal sealed class AlertsJobOptions
{
    public const string SectionName = "Jobs";

    [Required]
    public string AlertsCron { get; set; } = "*/15 * * * *";
}
