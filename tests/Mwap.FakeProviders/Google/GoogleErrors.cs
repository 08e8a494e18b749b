using System.Text.Json.Nodes;
using Mwap.FakeProviders.Hosting;

namespace Mwap.FakeProviders.Google;

/// <summary>
/// Google API error bodies: <c>{"error":{"code","message","errors":[{domain,reason,message,…}],"status"}}</c>.
/// Clients branch on <c>errors[].reason</c>, so every body carries one.
/// </summary>
internal static class GoogleErrors
{
    public static JsonObject Body(int code, string reason, string message, string domain = "global",
        string? location = null, string? locationType = null)
    {
        var item = new JsonObject { ["message"] = message, ["domain"] = domain, ["reason"] = reason };
        if (location is not null)
        {
            item["location"] = location;
            item["locationType"] = locationType ?? "parameter";
        }

        return new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["errors"] = new JsonArray(item),
                ["status"] = StatusName(code),
            },
        };
    }

    public static FakeResult Result(int code, string reason, string message, string domain = "global",
        string? location = null, string? locationType = null) =>
        FakeResult.Json(Body(code, reason, message, domain, location, locationType), code);

    public static FakeResult InvalidCredentials() => FakeResult.Json(
        Body(401, "authError", "Invalid Credentials", location: "Authorization", locationType: "header"),
        401,
        FakeResult.Header("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\""));

    public static FakeResult InsufficientScopes() =>
        Result(403, "insufficientPermissions", "Request had insufficient authentication scopes.");

    public static FakeResult FileNotFound(string fileId) =>
        Result(404, "notFound", $"File not found: {fileId}.", location: "fileId");

    public static FakeResult InvalidValue(string location, string? message = null) =>
        Result(400, "invalid", message ?? "Invalid Value", location: location);

    /// <summary>Canned bodies for injected faults, with the reasons rclone and Nango retry on.</summary>
    public static JsonObject ForStatus(int status) => status switch
    {
        401 => Body(401, "authError", "Invalid Credentials", location: "Authorization", locationType: "header"),
        403 => Body(403, "userRateLimitExceeded",
            "User Rate Limit Exceeded. Rate of requests for user exceed configured project quota.", "usageLimits"),
        404 => Body(404, "notFound", "File not found: .", location: "fileId"),
        429 => Body(429, "rateLimitExceeded", "Too many requests", "usageLimits"),
        500 => Body(500, "backendError", "Internal Error"),
        503 => Body(503, "backendError", "The service is currently unavailable."),
        _ => Body(status, status >= 500 ? "backendError" : "badRequest", $"Error {status}"),
    };

    private static string StatusName(int code) => code switch
    {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        429 => "RESOURCE_EXHAUSTED",
        503 => "UNAVAILABLE",
        _ => code >= 500 ? "INTERNAL" : "FAILED_PRECONDITION",
    };
}
