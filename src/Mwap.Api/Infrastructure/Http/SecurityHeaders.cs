namespace Mwap.Api.Infrastructure.Http;

/// <summary>Helmet-equivalent headers. API responses get a locked-down CSP; the docs UI needs its own scripts.</summary>
internal static class SecurityHeaders
{
    private const string ApiCsp = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    private const string DocsCsp = "default-src 'self'; img-src 'self' data: https:; font-src 'self' data: https:; " +
        "style-src 'self' 'unsafe-inline' https:; script-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            if (!headers.ContainsKey("Content-Security-Policy"))
            {
                headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/docs") ? DocsCsp : ApiCsp;
            }

            headers.XContentTypeOptions = "nosniff";
            if (!headers.ContainsKey("X-Frame-Options"))
            {
                // The console under /app sets SAMEORIGIN (its own silent sign-in frame); everything else is never framed.
                headers.XFrameOptions = "DENY";
            }

            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            headers["X-Permitted-Cross-Domain-Policies"] = "none";
            headers["X-DNS-Prefetch-Control"] = "off";
            if (context.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }

            headers.Remove("Server");
            headers.Remove("X-Powered-By");
            return Task.CompletedTask;
        });
        return next(context);
    });
}
