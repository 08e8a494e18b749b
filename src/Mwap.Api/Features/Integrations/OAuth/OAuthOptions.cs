using Microsoft.Extensions.Options;

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

/// <summary>The connect flow's settings, checked at start-up with every other setting (Production needs both).</summary>
internal sealed class OAuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<OAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, OAuthOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.StateSecret))
        {
            if (environment.IsProduction())
            {
                failures.Add("OAuth:StateSecret: required in Production: set at least 32 random characters (openssl rand -base64 48)");
            }
        }
        else if (options.StateSecret.Length < 32)
        {
            failures.Add("OAuth:StateSecret: too short: set at least 32 random characters (openssl rand -base64 48)");
        }

        if (environment.IsProduction() && string.IsNullOrWhiteSpace(options.RedirectUri))
        {
            failures.Add("OAuth:RedirectUri: required in Production: set the callback URL registered with every provider, e.g. https://api.example.com/api/v1/oauth/callback");
        }

        if (options.StateLifetimeMinutes is < 1 or > 60)
        {
            failures.Add("OAuth:StateLifetimeMinutes: set a whole number of minutes from 1 to 60");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
