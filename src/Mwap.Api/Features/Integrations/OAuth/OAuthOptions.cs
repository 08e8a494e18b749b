namespace Mwap.Api.Features.Integrations.OAuth;

/// <summary>The OAuth connect flow (<c>OAuth:*</c>).</summary>
internal sealed class OAuthOptions
{
    public const string SectionName = "OAuth";

    /// <summary>
    /// The callback URL registered with every provider, exactly (e.g. <c>https://api.example.com/api/v1/oauth/callback</c>).
    /// Unset: <c>{scheme}://{host}/api/v1/oauth/callback</c> of the request that starts the flow (development only).
    /// </summary>
    public string? RedirectUri { get; set; }

    /// <summary>HMAC key for the state parameter. Generated into <c>data/</c> in development; required in Production.</summary>
    public string? StateSecret { get; set; }

    /// <summary>The only origin the result pages post their message to (the front-end that opened the popup).</summary>
    public string? FrontendOrigin { get; set; }

    /// <summary>How long a started flow stays valid, in minutes (default 10).</summary>
    public int StateLifetimeMinutes { get; set; } = 10;
}
