using System.Text.Json;
using System.Text.Json.Nodes;
using Mwap.FakeProviders.Drive;
using Mwap.FakeProviders.Hosting;
using Mwap.FakeProviders.Tokens;

namespace Mwap.FakeProviders.Dropbox;

/// <summary>
/// Dropbox RPC conventions: POST, bearer token, a JSON body (or none / literal null for argument-less routes), and
/// plain-text 400s for anything malformed.
/// </summary>
internal static class DropboxRpc
{
    public static FakeResult? RejectAuth(HttpContext context, FakeProviderState provider, string route)
    {
        if (Bearer.From(context.Request) is null)
        {
            return DropboxErrors.BadInput(route, "Must provide HTTP header \"Authorization\" or URL parameter \"authorization\".");
        }

        return Bearer.Check(context.Request, provider, out _) switch
        {
            TokenCheck.Valid => null,
            TokenCheck.Expired => DropboxErrors.Auth("expired_access_token"),
            _ => DropboxErrors.Auth("invalid_access_token"),
        };
    }

    /// <summary>Routes without arguments accept no body at all, or the literal <c>null</c> sent as JSON.</summary>
    public static async Task<FakeResult?> RejectNonNullBodyAsync(HttpContext context, string route)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        var isJson = context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;
        return body.Trim() switch
        {
            "" when !isJson => null,
            "null" when isJson => null,
            "" => DropboxErrors.BadInput(route, "request body: could not decode input as JSON"),
            _ when !isJson => BadContentType(route, context.Request.ContentType),
            _ => DropboxErrors.BadInput(route, "request body: expected null, got value"),
        };
    }

    public static async Task<(JsonObject? Args, FakeResult? Error)> ReadArgsAsync(HttpContext context, string route)
    {
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return (null, BadContentType(route, context.Request.ContentType));
        }

        try
        {
            var node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return node is JsonObject args ? (args, null) : (null, DropboxErrors.BadInput(route, "request body: expected object"));
        }
        catch (JsonException)
        {
            return (null, DropboxErrors.BadInput(route, "request body: could not decode input as JSON"));
        }
    }

    public static string? String(JsonObject? args, string name) =>
        args?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static int? Int(JsonObject? args, string name) =>
        args?[name] is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    public static bool? Bool(JsonObject? args, string name) =>
        args?[name] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    /// <summary>
    /// Resolves, within the call's namespace, "" (its root), "/a/b" (case-insensitive) or "id:…". Returns a 400 for "/" and malformed paths, null
    /// item for a well-formed path that does not exist.
    /// </summary>
    public static FakeResult? ResolvePath(DropboxView view, string route, string? path, out FakeDriveItem? item)
    {
        var files = view.Files;
        item = null;
        if (path is null)
        {
            return DropboxErrors.BadInput(route, "request body: missing required field 'path'");
        }

        if (path == "/")
        {
            return DropboxErrors.BadInput(route, "request body: path: Specify the root folder as an empty string rather than as \"/\".");
        }

        if (path.Length > 0 && !path.StartsWith('/') && !path.StartsWith("id:", StringComparison.Ordinal))
        {
            return DropboxErrors.BadInput(route, $"request body: path: '{path}' did not match pattern '(/(.|[\\r\\n])*)?|id:.*|(ns:[0-9]+(/.*)?)'");
        }

        item = path.StartsWith("id:", StringComparison.Ordinal) ? files.Find(path) : files.FindByPath(view.Prefix + path);
        if (item is not null && (IsHidden(files, item) || !view.Contains(item)))
        {
            item = null;
        }

        return null;
    }

    /// <summary>Trash does not exist in Dropbox's listing model: a trashed item (or one inside a trashed folder) is gone.</summary>
    public static bool IsHidden(FakeDrive files, FakeDriveItem item)
    {
        for (var current = item; current is not null; current = current.ParentId is null ? null : files.Find(current.ParentId))
        {
            if (current.Trashed)
            {
                return true;
            }
        }

        return false;
    }

    private static FakeResult BadContentType(string route, string? contentType) => DropboxErrors.BadInput(route,
        $"Bad HTTP \"Content-Type\" header: \"{contentType}\".  Expecting one of \"application/json\", \"application/json; charset=utf-8\", \"text/plain; charset=dropbox-cors-hack\".");
}
