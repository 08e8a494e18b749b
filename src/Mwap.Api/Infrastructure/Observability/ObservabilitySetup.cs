using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Mwap.Api.Infrastructure.Observability;

/// <summary>How logs are written (<c>Logging:Format</c>); levels stay under <c>Serilog:MinimumLevel</c>.</summary>
internal sealed class LogFormatOptions
{
    public const string SectionName = "Logging";
    public const string Json = "json";
    public const string Text = "text";

    /// <summary><c>json</c> (compact JSON, one object per event) or <c>text</c> (human-readable lines); default text in Development, json elsewhere.</summary>
    [RegularExpression("^(json|text)$", ErrorMessage = "must be json or text")]
    public string? Format { get; set; }
}

internal static class ObservabilitySetup
{
    private const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} <{SourceContext}>{NewLine}{Exception}";

    /// <summary>
    /// Serilog to the console (stderr for command-line verbs, so stdout carries only their output): human-readable lines in
    /// Development, compact JSON elsewhere, either by choice with <c>Logging:Format</c>.
    /// Request logs carry method, path (never the query string, which can hold OAuth codes), status and time.
    /// </summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder, bool commandLine)
    {
        builder.Services.AddOptions<LogFormatOptions>().BindConfiguration(LogFormatOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var format = builder.Configuration.GetSection(LogFormatOptions.SectionName).Get<LogFormatOptions>()?.Format
            ?? (builder.Environment.IsDevelopment() ? LogFormatOptions.Text : LogFormatOptions.Json);
        LogEventLevel? toStandardError = commandLine ? LogEventLevel.Verbose : null;

        // Serilog is the only writer; other ILoggerProviders (none in production) still receive events, which tests use.
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog((services, logger) =>
        {
            logger
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Hangfire", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext();
            if (format == LogFormatOptions.Text)
            {
                logger.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: CultureInfo.InvariantCulture, standardErrorFromLevel: toStandardError);
            }
            else
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter(), standardErrorFromLevel: toStandardError);
            }
        },
            preserveStaticLogger: true,
            writeToProviders: true);
        builder.Services.AddHealthChecks();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder;
    }

    /// <summary><c>/health</c> as MWAP (raw <c>{"status":"ok"}</c>), <c>/health/live</c> and <c>/health/ready</c> (503 when a dependency is down).</summary>
    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapGet("/health", () => Results.Json(new { status = "ok" })).AllowAnonymous().ExcludeFromDescription();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = WriteAsync,
            ResultStatusCodes = { [HealthStatus.Degraded] = 200, [HealthStatus.Unhealthy] = 503 },
        }).AllowAnonymous();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString().ToLowerInvariant(),
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                description = e.Value.Status == HealthStatus.Healthy ? null : e.Value.Description ?? "unreachable",
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
