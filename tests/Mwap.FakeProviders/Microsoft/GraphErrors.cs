using System.Globalization;
using System.Text.Json.Nodes;
using Mwap.FakeProviders.Hosting;

namespace Mwap.FakeProviders.Microsoft;

/// <summary>Graph's OData error body; clients must branch on <c>code</c> (and nested inner codes), never on <c>message</c>.</summary>
internal static class GraphErrors
{
    public static JsonObject Body(string code, string message, string? innerCode = null)
    {
        var inner = new JsonObject();
        if (innerCode is not null)
        {
            inner["code"] = innerCode;
        }

        inner["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        inner["request-id"] = Guid.NewGuid().ToString();
        inner["client-request-id"] = Guid.NewGuid().ToString();
        return new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["innerError"] = inner } };
    }

    public static FakeResult Result(int status, string code, string message, string? innerCode = null) =>
        FakeResult.Json(Body(code, message, innerCode), status);

    /// <summary>
    /// rclone retries a Graph 401 only when WWW-Authenticate says <c>expired_token</c>, so only an expired token
    /// says so; an unknown or revoked one does not.
    /// </summary>
    public static FakeResult InvalidToken(bool expired)
    {
        var message = expired ? "Lifetime validation failed, the token is expired." : "Access token validation failure.";
        var challenge = expired
            ? "Bearer realm=\"\", error=\"invalid_token\", error_description=\"expired_token\""
            : "Bearer realm=\"\", error=\"invalid_token\"";
        return FakeResult.Json(Body("InvalidAuthenticationToken", message), 401, FakeResult.Header("WWW-Authenticate", challenge));
    }

    public static FakeResult ItemNotFound() => Result(404, "itemNotFound", "The resource could not be found.");

    public static FakeResult InvalidRequest(string message) => Result(400, "invalidRequest", message);

    public static JsonObject ForStatus(int status) => status switch
    {
        401 => Body("InvalidAuthenticationToken", "Access token has expired or is not yet valid."),
        403 => Body("accessDenied", "Access denied"),
        404 => Body("itemNotFound", "The resource could not be found."),
        410 => Body("resyncRequired", "Resync required. Replace any local items with the server's version.", "resyncChangesApplyDifferences"),
        429 => Body("activityLimitReached", "The request has been throttled", "throttledRequest"),
        503 => Body("serviceNotAvailable", "Service unavailable"),
        507 => Body("quotaLimitReached", "Insufficient Space Available"),
        _ => Body(status >= 500 ? "generalException" : "invalidRequest", $"Error {status}"),
    };
}
