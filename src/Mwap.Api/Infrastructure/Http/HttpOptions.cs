using System.ComponentModel.DataAnnotations;

namespace Mwap.Api.Infrastructure.Http;

/// <summary>Request limits and CORS.</summary>
internal sealed class HttpOptions
{
    public const string SectionName = "Http";

    /// <summary>Largest request body accepted, in bytes (default 1 MiB). Larger bodies get 400.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Addresses of reverse proxies whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> are believed (e.g. <c>10.0.0.5</c>).
    /// Empty (the default) with <see cref="KnownNetworks"/> empty: forwarded headers are ignored from everyone.
    /// </summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted reverse proxies in CIDR form (e.g. <c>10.0.0.0/8</c>); see <see cref="KnownProxies"/>.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

/// <summary>The CORS allow-list (<c>Cors:AllowedOrigins</c>). Empty means no cross-origin browser access.</summary>
internal sealed class CorsOptions
{
    public const string SectionName = "Cors";

    /// <summary>Exact origins, such as <c>https://app.example.com</c>, allowed to call the API with credentials.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}
