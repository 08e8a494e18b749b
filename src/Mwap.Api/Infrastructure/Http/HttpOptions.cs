using System.ComponentModel.DataAnnotations;

namespace Mwap.Api.Infrastructure.Http;

/// <summary>Request limits and CORS.</summary>
internal sealed class HttpOptions
{
    public const string SectionName = "Http";

    /// <summary>Largest request body accepted, in bytes (default 1 MiB). Larger bodies get 400.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

/// <summary>The CORS allow-list (<c>Cors:AllowedOrigins</c>). Empty means no cross-origin browser access.</summary>
internal sealed class CorsOptions
{
    public const string SectionName = "Cors";

    /// <summary>Exact origins, such as <c>https://app.example.com</c>, allowed to call the API with credentials.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}
