using Microsoft.Extensions.Options;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.WebConsole;

/// <summary>What the console reads at start, so one build runs against any issuer.</summary>
/// <param name="Authority">The OIDC issuer; null in development mode.</param>
/// <param name="ClientId">The console's OIDC client id (<c>Console:ClientId</c>).</param>
/// <param name="Scopes">Scopes to ask for.</param>
/// <param name="Audience">The API's audience (<c>Auth:Audience</c>), sent as Auth0's <c>audience</c> parameter.</param>
/// <param name="DevSignIn">Whether <c>POST /api/v1/console/dev-sign-in</c> exists (Development and development mode only).</param>
internal sealed record ConsoleConfigResponse(string? Authority, string? ClientId, IReadOnlyList<string> Scopes, string Audience, bool DevSignIn);

/// <summary>A development sign-in: the same claims the <c>dev-token</c> verb takes.</summary>
internal sealed record DevSignInRequest(string? Sub, string? Email, string? Name);

internal sealed record DevSignInResponse(string Token, DateTimeOffset ExpiresAt);

internal static class ConsoleEndpoints
{
    private static readonly TimeSpan DevTokenLifetime = TimeSpan.FromHours(8);

    /// <summary>Development mode proper: the Development environment and no authority (the <c>dev-token</c> verb's rule).</summary>
    public static bool DevSignInAvailable(IWebHostEnvironment environment, AuthOptions auth) => environment.IsDevelopment() && auth.IsDevelopmentMode;

    public static RouteGroupBuilder MapConsoleEndpoints(this RouteGroupBuilder api, WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value.Enabled)
        {
            return api;
        }

        var group = api.MapGroup("/console").WithTags("Console");
        group.MapGet("/config", (IOptions<ConsoleOptions> console, IOptions<AuthOptions> auth, IWebHostEnvironment environment) =>
                TypedResults.Ok(Envelope.Of(Config(console.Value, auth.Value, environment))))
            .AllowAnonymous()
            .WithName("GetConsoleConfig");

        // Mapped only where the dev-token verb works: in every other environment the route does not exist (404).
        if (DevSignInAvailable(app.Environment, app.Services.GetRequiredService<IOptions<AuthOptions>>().Value))
        {
            group.MapPost("/dev-sign-in", (DevSignInRequest body, DevSigningKey key, IOptions<AuthOptions> auth, TimeProvider time) =>
                {
                    var sub = Check(body.Sub, "sub", required: true)!;
                    var email = Check(body.Email, "email", required: false);
                    var name = Check(body.Name, "name", required: false);
                    var now = time.GetUtcNow();
                    var token = key.CreateToken(auth.Value.DevIssuer, auth.Value.EffectiveAudience, sub, email, name, DevTokenLifetime, now);
                    return TypedResults.Ok(Envelope.Of(new DevSignInResponse(token, now.Add(DevTokenLifetime))));
                })
                .AllowAnonymous()
                .WithName("ConsoleDevSignIn");
        }

        return api;
    }

    /// <summary>The configuration the app reads at start: inlined into its index.html and served here.</summary>
    public static ConsoleConfigResponse Config(ConsoleOptions console, AuthOptions auth, IWebHostEnvironment environment)
    {
        var scopes = console.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new ConsoleConfigResponse(auth.IsDevelopmentMode ? null : auth.Authority, console.ClientId, scopes, auth.EffectiveAudience,
            DevSignInAvailable(environment, auth));
    }

    private static string? Check(string? value, string field, bool required)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return required
                ? throw new BadRequestException("console/invalid-input", $"{field} is required", new Dictionary<string, string> { [field] = "Required" })
                : null;
        }

        return trimmed.Length > 200 || trimmed.Any(char.IsControl)
            ? throw new BadRequestException("console/invalid-input", $"{field} is invalid",
                new Dictionary<string, string> { [field] = "At most 200 characters, no control characters" })
            : trimmed;
    }
}
