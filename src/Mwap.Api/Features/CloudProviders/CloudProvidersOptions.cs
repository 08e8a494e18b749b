namespace Mwap.Api.Features.CloudProviders;

/// <summary>Cloud provider catalogue settings (<c>CloudProviders:*</c>).</summary>
internal sealed class CloudProvidersOptions
{
    public const string SectionName = "CloudProviders";

    /// <summary>Accept plain http authorize/token URLs (local development and tests only; default false).</summary>
    public bool AllowInsecureUrls { get; set; }

    /// <summary>
    /// Client credentials for the <c>providers seed</c> verb, by slug: <c>CloudProviders:Seed:google-drive:ClientId</c> and
    /// <c>…:ClientSecret</c>. Environment fallbacks: GOOGLE_CLIENT_ID/SECRET, DROPBOX_CLIENT_ID/SECRET, MICROSOFT_CLIENT_ID/SECRET.
    /// </summary>
    public Dictionary<string, SeedCredentials> Seed { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

internal sealed class SeedCredentials
{
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
}
