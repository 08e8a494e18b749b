using System.Diagnostics;

namespace Mwap.Api.Infrastructure.Http;

/// <summary>Writes the MWAP error envelope; every non-2xx response goes through here.</summary>
internal static class ErrorResponseWriter
{
    public static string TraceIdOf(HttpContext context) =>
        Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;

    public static ErrorEnvelope Create(HttpContext context, string code, string message,
        IReadOnlyDictionary<string, string>? details = null) =>
        new(new ErrorBody(code, message, details, TraceIdOf(context)));

    public static Task WriteAsync(HttpContext context, int statusCode, string code, string message,
        IReadOnlyDictionary<string, string>? details = null)
    {
        context.Response.StatusCode = statusCode;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(Create(context, code, message, details),
            MwapJson.Options, contentType: "application/json; charset=utf-8");
    }
}
