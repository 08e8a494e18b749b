using System.ComponentModel.DataAnnotations;

namespace Mwap.Api.Features.Webhooks;

/// <summary>Change notifications from the providers (<c>Webhooks:*</c>).</summary>
internal sealed class WebhooksOptions
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

    public bool Enabled => !string.IsNullOrWhiteSpace(PublicBaseUrl);
}
