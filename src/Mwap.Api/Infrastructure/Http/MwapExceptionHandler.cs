using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Integrations.Providers;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Infrastructure.Http;

/// <summary>
/// The one place that turns exceptions into MWAP error envelopes. Rule failures keep their code;
/// malformed input becomes 400; an unreachable database becomes 503; anything else is a 500 whose
/// message reveals nothing and which is logged once, with its trace id.
/// </summary>
internal sealed partial class MwapExceptionHandler(ILogger<MwapExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
        {
            return false;
        }

        switch (exception)
        {
            case MwapException mwap:
                await ErrorResponseWriter.WriteAsync(context, mwap.StatusCode, mwap.Code, mwap.Message, mwap.Details);
                return true;
            case ProviderException provider:
                // A provider's refusal or outage, in the terms the API promises (the same for every route).
                var failure = ProviderFailures.ToApiError(provider);
                await ErrorResponseWriter.WriteAsync(context, failure.StatusCode, failure.Code, failure.Message, failure.Details);
                return true;
            case BadHttpRequestException bad:
                var (message, details) = DescribeBadRequest(bad);
                await ErrorResponseWriter.WriteAsync(context, StatusCodes.Status400BadRequest, InvalidInputCodeFor(context), message, details);
                return true;
            case DbUpdateConcurrencyException:
                await ErrorResponseWriter.WriteAsync(context, StatusCodes.Status409Conflict, "resource/conflict",
                    "The resource was changed by another request; reload it and try again");
                return true;
            case DbUpdateException db when UniqueViolation.Is(db):
                await ErrorResponseWriter.WriteAsync(context, StatusCodes.Status409Conflict, "resource/conflict",
                    "A resource with the same unique value already exists");
                return true;
            case OperationCanceledException when context.RequestAborted.IsCancellationRequested:
                // The client went away; there is nobody to answer and nothing to log as an error.
                context.Response.StatusCode = 499;
                return true;
            case var e when DatabaseUnavailable.Is(e):
                LogDatabaseUnavailable(logger, ErrorResponseWriter.TraceIdOf(context), e.GetType().Name);
                context.Response.Headers.RetryAfter = "5";
                await ErrorResponseWriter.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.ServiceUnavailable,
                    "The service is temporarily unavailable; try again shortly");
                return true;
            default:
                LogUnhandled(logger, exception, ErrorResponseWriter.TraceIdOf(context), context.Request.Method, context.Request.Path);
                await ErrorResponseWriter.WriteAsync(context, StatusCodes.Status500InternalServerError, ErrorCodes.InternalError,
                    "An internal error occurred. Quote the trace id when reporting it.");
                return true;
        }
    }

    /// <summary>Feature endpoints declare the code their validation failures carry (spec §3.4).</summary>
    internal static string InvalidInputCodeFor(HttpContext context) =>
        // The exception handler clears the endpoint before handlers run; the feature keeps the one that failed.
        (context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint)
            ?.Metadata.GetMetadata<InvalidInputCode>()?.Code ?? ErrorCodes.InvalidInput;

    private static (string Message, IReadOnlyDictionary<string, string>? Details) DescribeBadRequest(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ("Request body is too large", null);
        }

        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return ("Content-Type must be application/json", null);
        }

        if (bad.InnerException is JsonException json)
        {
            return DescribeJsonError(json);
        }

        if (bad.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase))
        {
            return ("A JSON request body is required", null);
        }

        return ("The request is malformed", null);
    }

    private static (string, IReadOnlyDictionary<string, string>?) DescribeJsonError(JsonException json)
    {
        var path = string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        // The serializer's own messages name .NET types; say what is wrong in the client's terms instead.
        if (json.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var start = json.Message.IndexOf('\'', StringComparison.Ordinal);
            var end = start >= 0 ? json.Message.IndexOf('\'', start + 1) : -1;
            var name = end > start ? json.Message[(start + 1)..end] : "?";
            var key = field == "$" ? name : field.EndsWith(name, StringComparison.Ordinal) ? field : $"{field}.{name}";
            return ("Invalid input: unknown field", new Dictionary<string, string> { [key] = "Unknown field" });
        }

        if (json.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return ("Invalid input: wrong type", new Dictionary<string, string> { [field] = "Wrong type" });
        }

        return ("Malformed JSON in request body", new Dictionary<string, string> { [field] = "Malformed JSON" });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception (trace {TraceId}) on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string traceId, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable (trace {TraceId}): {ExceptionType}")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string traceId, string exceptionType);
}

/// <summary>Endpoint metadata: the MWAP code that input errors on this endpoint carry.</summary>
internal sealed record InvalidInputCode(string Code);

/// <summary>Recognises "the database cannot be reached" across providers.</summary>
internal static class DatabaseUnavailable
{
    public static bool Is(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.NpgsqlException { IsTransient: true } or TimeoutException or System.Net.Sockets.SocketException)
            {
                return true;
            }

            if (e is DbException && e.GetType().Name == "NpgsqlException")
            {
                return true;
            }
        }

        return false;
    }
}
