using System.ComponentModel.DataAnnotations;

namespace Mwap.Api.Infrastructure.Security;

/// <summary>Token validation settings (<c>Auth:*</c>).</summary>
internal sealed class AuthOptions
{
    public const string SectionName = "Auth";
    public const string DefaultDevAudience = "https://api.mwap.local";
    public const string DefaultDevIssuer = "mwap-dev";

    /// <summary>The OIDC issuer, e.g. <c>https://tenant.eu.auth0.com/</c>. Unset outside Production means development mode.</summary>
    public string? Authority { get; set; }

    /// <summary>The required <c>aud</c> claim.</summary>
    public string? Audience { get; set; }

    /// <summary>Require https for the discovery document (default true). Set false only for a loopback issuer.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Subjects seeded into the <c>superadmins</c> table at start-up.</summary>
    public string[] SuperAdmins { get; set; } = [];

    /// <summary>Allowed clock difference when checking <c>exp</c>/<c>nbf</c>, in seconds (default 5).</summary>
    [Range(0, 300)]
    public int ClockSkewSeconds { get; set; } = 5;

    /// <summary>Issuer of development tokens minted by the <c>dev-token</c> verb.</summary>
    public string DevIssuer { get; set; } = DefaultDevIssuer;

    public bool IsDevelopmentMode => string.IsNullOrWhiteSpace(Authority);

    public string EffectiveAudience => string.IsNullOrWhiteSpace(Audience) ? DefaultDevAudience : Audience;
}
