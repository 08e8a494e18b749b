using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mwap.Api.Infrastructure.Observability;

/// <summary>
/// OpenTelemetry traces and metrics: ASP.NET Core, outbound HttpClient calls (provider APIs), EF Core, Npgsql, the
/// runtime, and MWAP's own meter and job spans. Traces go out over OTLP only when <c>OpenTelemetry:Endpoint</c> is set;
/// metrics go to OTLP and/or the Prometheus scrape endpoint (<c>Metrics:Enabled</c>). Query strings, headers and bodies
/// are never recorded: URLs keep scheme, host and path only, and SQL spans carry no parameter values.
/// </summary>
internal static class TelemetrySetup
{
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddTransient<IStartupFilter, RequestMetricsStartupFilter>();

        var telemetry = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var metrics = builder.Configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>() ?? new MetricsOptions();
        var otlp = !string.IsNullOrWhiteSpace(telemetry.Endpoint);
        if (!otlp && !metrics.Enabled)
        {
            return builder; // nothing would read the data: do not pay for collecting it
        }

        if (metrics.Enabled && metrics.Port is { } port)
        {
            builder.WebHost.UseUrls([.. ServerUrls(builder.Configuration), $"http://*:{port}"]);
        }

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(telemetry.ServiceName, serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithMetrics(m =>
            {
                m.AddMeter(MwapMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (metrics.Enabled)
                {
                    m.AddPrometheusExporter();
                }

                if (otlp)
                {
                    m.AddOtlpExporter(o => ConfigureOtlp(o, telemetry));
                }
            });
        if (otlp)
        {
            otel.WithTracing(t => t
                .AddSource(MwapMetrics.ActivitySourceName)
                .AddAspNetCoreInstrumentation(o =>
                {
                    // Health probes and scrapes would drown the traces.
                    o.Filter = http => !http.Request.Path.StartsWithSegments("/health") && !http.Request.Path.StartsWithSegments(metrics.Path);
                    o.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null);
                })
                .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = (activity, request) =>
                {
                    // Provider URLs can carry cursors or codes in the query: keep scheme, host and path only.
                    if (request.RequestUri is { } uri)
                    {
                        activity.SetTag("url.full", uri.GetLeftPart(UriPartial.Path));
                    }

                    activity.SetTag("url.query", null);
                })
                .AddEntityFrameworkCoreInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter(o => ConfigureOtlp(o, telemetry)));
        }

        return builder;
    }

    private static void ConfigureOtlp(OtlpExporterOptions options, TelemetryOptions telemetry)
    {
        options.Endpoint = new Uri(telemetry.Endpoint!);
        options.Protocol = telemetry.Protocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
    }

    /// <summary>The addresses Kestrel would use without our extra listener (<c>urls</c>, else <c>HTTP_PORTS</c>/<c>HTTPS_PORTS</c>, else its default).</summary>
    private static string[] ServerUrls(ConfigurationManager configuration)
    {
        static string[] Split(string? value) => (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var urls = Split(configuration[WebHostDefaults.ServerUrlsKey]);
        if (urls.Length > 0)
        {
            return urls;
        }

        var ports = Split(configuration[WebHostDefaults.HttpPortsKey]).Select(p => $"http://*:{p}")
            .Concat(Split(configuration[WebHostDefaults.HttpsPortsKey]).Select(p => $"https://*:{p}")).ToArray();
        return ports.Length > 0 ? ports : ["http://localhost:5000"];
    }

    /// <summary>Counts every request by route template and status, outermost, so errors and unmatched routes count too.</summary>
    private sealed class RequestMetricsStartupFilter : IStartupFilter
    {
        // Clients choose the method token: anything else is one bucket, so a scanner cannot blow up the series count.
        private static readonly HashSet<string> KnownMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                try
                {
                    await nextMiddleware(context);
                }
                finally
                {
                    var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                    MwapMetrics.RecordHttpRequest(route, KnownMethods.Contains(context.Request.Method) ? context.Request.Method : "_OTHER", context.Response.StatusCode);
                }
            });

            // The dedicated metrics port serves the scrape endpoint and nothing else.
            var metrics = app.ApplicationServices.GetRequiredService<IOptions<MetricsOptions>>().Value;
            if (metrics.Enabled && metrics.Port is { } port)
            {
                app.Use((context, nextMiddleware) =>
                {
                    if (context.Connection.LocalPort == port && !context.Request.Path.Equals(metrics.Path, StringComparison.OrdinalIgnoreCase))
                    {
                        context.Response.StatusCode = StatusCodes.Status404NotFound;
                        return Task.CompletedTask;
                    }

                    return nextMiddleware(context);
                });
            }

            next(app);
        };
    }
}
