using Microsoft.Extensions.Options;

namespace Mwap.Api.Infrastructure.Http;

/// <summary>Middleware that protects the pipeline before any handler runs.</summary>
internal static class RequestGuards
{
    // Route values that carry our 24-hex ids. userId is an identity-provider subject, not one of ours.
    private static readonly HashSet<string> IdRouteValues = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "tenantId", "projectId", "integrationId", "providerId", "projectTypeId", "fileId",
    };

    /// <summary>Caps the request body: a declared length over the limit is refused at once, a streamed one when it crosses it.</summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<HttpOptions>>().Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            await ErrorResponseWriter.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidInput,
                $"Request body is too large (limit {limit} bytes)");
            return;
        }

        var sizeFeature = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        context.Request.Body = new LengthLimitedStream(context.Request.Body, limit);
        await next(context);
    });

    /// <summary>
    /// A route id that is not a 24-hex ObjectId is a client error (400), never a 500 and never a database query.
    /// Runs after authentication so an anonymous caller still gets 401 first.
    /// </summary>
    public static IApplicationBuilder UseRouteIdValidation(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var anonymousAllowed = context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null;
        if (context.User.Identity?.IsAuthenticated == true || anonymousAllowed)
        {
            foreach (var (key, value) in context.Request.RouteValues)
            {
                if (IdRouteValues.Contains(key) && value is string text && !Persistence.ObjectId.IsValid(text))
                {
                    await ErrorResponseWriter.WriteAsync(context, StatusCodes.Status400BadRequest,
                        MwapExceptionHandler.InvalidInputCodeFor(context),
                        $"Invalid id format: '{key}' must be a 24-character hexadecimal id");
                    return;
                }
            }
        }

        await next(context);
    });

    /// <summary>Empty error responses (405, 404 outside the API, …) still get the MWAP envelope.</summary>
    public static IApplicationBuilder UseEnvelopeStatusCodePages(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async ctx =>
        {
            var http = ctx.HttpContext;
            var status = http.Response.StatusCode;
            var (code, message) = status switch
            {
                401 => (ErrorCodes.Unauthorized, "Invalid or expired token"),
                403 => (ErrorCodes.InsufficientPermissions, "Access denied"),
                404 or 405 => (ErrorCodes.RouteNotFound, $"Endpoint not found: {http.Request.Method} {http.Request.Path}{http.Request.QueryString}"),
                413 => (MwapExceptionHandler.InvalidInputCodeFor(http), "Request body is too large"),
                415 => (MwapExceptionHandler.InvalidInputCodeFor(http), "Content-Type must be application/json"),
                >= 500 => (ErrorCodes.InternalError, "An internal error occurred"),
                _ => (MwapExceptionHandler.InvalidInputCodeFor(http), "The request is malformed"),
            };
            // MWAP answers every input problem with 400, oversized and wrongly typed bodies included.
            var answer = status switch { 405 => 404, 413 or 415 => 400, _ => status };
            await ErrorResponseWriter.WriteAsync(http, answer, code, message);
        });

    private sealed class LengthLimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            if (_read > limit)
            {
                throw new BadHttpRequestException("Request body too large", StatusCodes.Status413PayloadTooLarge);
            }

            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
