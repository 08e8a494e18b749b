using System.Text.Json.Nodes;
using Mwap.FakeProviders.Hosting;

namespace Mwap.FakeProviders.Dropbox;

/// <summary>
/// Dropbox answers bad input with plain text (400) and everything else with a tagged JSON union:
/// <c>{"error_summary":"path/not_found/..","error":{".tag":"path","path":{".tag":"not_found"}}}</c>.
/// </summary>
internal static class DropboxErrors
{
    public static FakeResult BadInput(string route, string message) =>
        FakeResult.Text($"Error in call to API function \"{route}\": {message}", 400);

    public static FakeResult Auth(string tag) => FakeResult.Json(
        new JsonObject { ["error_summary"] = tag + "/", ["error"] = new JsonObject { [".tag"] = tag } },
        401);

    public static FakeResult Path(string lookupTag) => FakeResult.Json(
        new JsonObject
        {
            // Dropbox pads error_summary with a variable number of dots; clients must branch on .tag instead.
            ["error_summary"] = $"path/{lookupTag}/..",
            ["error"] = new JsonObject { [".tag"] = "path", ["path"] = new JsonObject { [".tag"] = lookupTag } },
        },
        409);

    public static FakeResult Reset() => FakeResult.Json(
        new JsonObject { ["error_summary"] = "reset/..", ["error"] = new JsonObject { [".tag"] = "reset" } },
        409);

    public static JsonObject TooManyRequests(int retryAfterSeconds, string reason = "too_many_requests") => new()
    {
        ["error_summary"] = reason + "/..",
        ["error"] = new JsonObject
        {
            ["reason"] = new JsonObject { [".tag"] = reason },
            ["retry_after"] = retryAfterSeconds,
        },
    };

    /// <summary>Canned bodies for injected faults: JSON for 401/409/429, plain text otherwise (as Dropbox does).</summary>
    public static string ForStatus(int status, int? retryAfterSeconds) => status switch
    {
        401 => """{"error_summary":"expired_access_token/","error":{".tag":"expired_access_token"}}""",
        409 => """{"error_summary":"path/not_found/..","error":{".tag":"path","path":{".tag":"not_found"}}}""",
        429 => TooManyRequests(retryAfterSeconds ?? 1).ToJsonString(),
        400 => "Error in call to API function: bad request",
        503 => "Service Unavailable",
        _ => status >= 500 ? "Internal Server Error" : $"Error {status}",
    };
}
