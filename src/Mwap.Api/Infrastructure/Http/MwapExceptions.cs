namespace Mwap.Api.Infrastructure.Http;

/// <summary>
/// The closed set of rule failures a service may raise. Each carries MWAP's error code;
/// <see cref="MwapExceptionHandler"/> is the one place that turns them into responses.
/// </summary>
internal abstract class MwapException(int statusCode, string code, string message,
    IReadOnlyDictionary<string, string>? details = null) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
    public string Code { get; } = code;
    public IReadOnlyDictionary<string, string>? Details { get; } = details;
}

internal sealed class BadRequestException(string code, string message,
    IReadOnlyDictionary<string, string>? details = null) : MwapException(StatusCodes.Status400BadRequest, code, message, details);

internal sealed class UnauthorizedException(string code, string message)
    : MwapException(StatusCodes.Status401Unauthorized, code, message);

internal sealed class ForbiddenException(string message, string code = ErrorCodes.InsufficientPermissions)
    : MwapException(StatusCodes.Status403Forbidden, code, message);

internal sealed class NotFoundException(string code, string message)
    : MwapException(StatusCodes.Status404NotFound, code, message);

internal sealed class ConflictException(string code, string message)
    : MwapException(StatusCodes.Status409Conflict, code, message);

internal sealed class ServiceUnavailableException(string code, string message)
    : MwapException(StatusCodes.Status503ServiceUnavailable, code, message);

/// <summary>MWAP's cross-cutting error codes (spec §3.5). Feature codes live with their feature.</summary>
internal static class ErrorCodes
{
    public const string Unauthorized = "auth/unauthorized";
    public const string InvalidToken = "auth/invalid-token";
    public const string InsufficientPermissions = "auth/insufficient-permissions";
    public const string RouteNotFound = "route/not-found";
    public const string InternalError = "server/internal-error";
    public const string InvalidInput = "validation/invalid-input";
    public const string RateLimitExceeded = "rate-limit/exceeded";
    public const string ServiceUnavailable = "server/unavailable";
}
