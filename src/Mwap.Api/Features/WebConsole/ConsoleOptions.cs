namespace Mwap.Api.Features.WebConsole;

/// <summary>The web console served at <c>/app</c> (<c>Console:*</c>).</summary>
internal sealed class ConsoleOptions
{
    public const string SectionName = "Console";

    /// <summary>Serve the console and its configuration endpoint (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The OIDC client (application) id the console signs in with; unused in development mode.</summary>
    public string? ClientId { get; set; }

    /// <summary>Scopes the console asks for, space-separated (default <c>openid profile email</c>).</summary>
    public string Scopes { get; set; } = "openid profile email";
}
