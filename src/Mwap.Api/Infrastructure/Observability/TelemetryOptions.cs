using System.ComponentModel.DataAnnotations;

namespace Mwap.Api.Infrastructure.Observability;

/// <summary>OpenTelemetry export settings (<c>OpenTelemetry:*</c>). Nothing is exported unless <see cref="Endpoint"/> is set.</summary>
internal sealed class TelemetryOptions
{
    public const string SectionName = "OpenTelemetry";

    /// <summary>OTLP collector endpoint, e.g. <c>http://otel-collector:4317</c>; unset turns OTLP export off.</summary>
    public string? Endpoint { get; set; }

    /// <summary>OTLP transport: <c>grpc</c> (default, port 4317) or <c>http/protobuf</c> (port 4318).</summary>
    [RegularExpression("^(grpc|http/protobuf)$")]
    public string Protocol { get; set; } = "grpc";

    /// <summary>The <c>service.name</c> resource attribute (default <c>mwap-api</c>).</summary>
    [Required]
    public string ServiceName { get; set; } = "mwap-api";
}

/// <summary>
/// The Prometheus scrape endpoint (<c>Metrics:*</c>), off by default. When on it is served either on its own port
/// (<see cref="Port"/>, only there) or on the main port behind a bearer token (<see cref="Token"/>); with both, the
/// dedicated port also asks for the token.
/// </summary>
internal sealed class MetricsOptions : IValidatableObject
{
    public const string SectionName = "Metrics";

    /// <summary>Serve <c>/metrics</c> (default false).</summary>
    public bool Enabled { get; set; }

    /// <summary>A dedicated port (an extra Kestrel listener) that serves only the scrape endpoint.</summary>
    [Range(1, 65535)]
    public int? Port { get; set; }

    /// <summary>Bearer token the scraper sends (<c>Authorization: Bearer …</c>), at least 16 characters.</summary>
    [MinLength(16)]
    public string? Token { get; set; }

    /// <summary>Path of the scrape endpoint (default <c>/metrics</c>).</summary>
    [Required]
    [RegularExpression("^/[A-Za-z0-9/_-]*$")]
    public string Path { get; set; } = "/metrics";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Refuse to publish internals on the public port without a credential.
        if (Enabled && Port is null && string.IsNullOrEmpty(Token))
        {
            yield return new ValidationResult("Metrics:Enabled needs Metrics:Port (a dedicated port) or Metrics:Token (a bearer token).",
                [nameof(Port), nameof(Token)]);
        }
    }
}
