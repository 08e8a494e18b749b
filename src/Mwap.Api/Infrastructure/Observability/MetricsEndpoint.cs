using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Mwap.Api.Infrastructure.Http;

namespace Mwap.Api.Infrastructure.Observability;

/// <summary>The Prometheus scrape endpoint, mapped only when <c>Metrics:Enabled</c> is true.</summary>
internal static class MetricsEndpoint
{
    /// <summary>
    /// Maps <c>Metrics:Path</c> (default <c>/metrics</c>). With <c>Metrics:Port</c> it answers only on that port (the
    /// connection's local port, not the spoofable Host header); with <c>Metrics:Token</c> it asks for
    /// <c>Authorization: Bearer &lt;token&gt;</c>, compared in constant time. The API's JWT policy does not apply.
    /// </summary>
    public static WebApplication MapMetricsEndpoint(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Enabled)
        {
            // Off: a plain 404 for everyone, rather than the 401 an unknown path gets from the fallback policy.
            app.MapGet(options.Path, (HttpContext http) => Results.Json(ErrorResponseWriter.Create(http, ErrorCodes.RouteNotFound, "Metrics are disabled"),
                MwapJson.Options, statusCode: StatusCodes.Status404NotFound)).AllowAnonymous().ExcludeFromDescription();
            return app;
        }

        var expected = string.IsNullOrEmpty(options.Token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.Token));
        app.MapPrometheusScrapingEndpoint(options.Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            if (options.Port is { } port && context.Connection.LocalPort != port)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            if (expected is not null && !Authorized(context, expected))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await ErrorResponseWriter.WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, "A valid metrics token is required");
                return;
            }

            await next(context);
        }), optionsName: null).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static bool Authorized(HttpContext context, byte[] expected)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Hashing first makes the comparison constant-time regardless of the presented token's length.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, expected);
    }
}
