using System.Text.Json.Nodes;
using Mwap.FakeProviders.Hosting;

namespace Mwap.FakeProviders.Dropbox;

/// <summary><c>files/list_folder</c>, <c>list_folder/continue</c> and <c>get_latest_cursor</c>: cursor paging with has_more.</summary>
internal static class DropboxFilesEndpoints
{
    private const int DefaultLimit = 2000;

    public static void MapDropboxFiles(this IEndpointRouteBuilder api, FakeProviderState provider)
    {
        api.MapPost("/2/files/list_folder", Task<IResult> (HttpContext context) => ListFolderAsync(context, provider));
        api.MapPost("/2/files/list_folder/continue", Task<IResult> (HttpContext context) => ContinueAsync(context, provider));
        api.MapPost("/2/files/list_folder/get_latest_cursor", Task<IResult> (HttpContext context) => LatestCursorAsync(context, provider));
        api.MapPost("/2/files/get_metadata", Task<IResult> (HttpContext context) => GetMetadataAsync(context, provider));
    }

    private static async Task<IResult> ListFolderAsync(HttpContext context, FakeProviderState provider)
    {
        const string Route = "files/list_folder";
        if (DropboxRpc.RejectAuth(context, provider, Route) is { } rejection)
        {
            return rejection;
        }

        if (DropboxView.Resolve(context, provider, Route, out var view) is { } badRoot)
        {
            return badRoot;
        }

        var (args, error) = await DropboxRpc.ReadArgsAsync(context, Route);
        if (error is not null)
        {
            return error;
        }

        var limit = DropboxRpc.Int(args, "limit") ?? DefaultLimit;
        if (limit is < 1 or > 2000)
        {
            return DropboxErrors.BadInput(Route, $"request body: limit: {limit} is not within range [1, 2000]");
        }

        if (DropboxRpc.ResolvePath(view, Route, DropboxRpc.String(args, "path"), out var folder) is { } badPath)
        {
            return badPath;
        }

        if (folder is null)
        {
            return DropboxErrors.Path("not_found");
        }

        if (!folder.IsFolder)
        {
            return DropboxErrors.Path("not_folder");
        }

        var recursive = DropboxRpc.Bool(args, "recursive") ?? false;
        if (recursive && provider.SlowRecursiveListing is { } slow)
        {
            // "Concurrent identical list_folder calls for the same user may return a rate-limit error": the call
            // runs on at Dropbox after the client timed out, and an identical one meanwhile gets 429.
            var key = string.Join('\n', Bearer.From(context.Request), args!.ToJsonString(), context.Request.Headers[DropboxView.HeaderName].ToString());
            if (!provider.TryStartListing(key, slow, out var retryAfter))
            {
                return FakeResult.Json(DropboxErrors.TooManyRequests(retryAfter), 429,
                    FakeResult.Header("Retry-After", retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            try
            {
                await Task.Delay(slow, CancellationToken.None);
            }
            finally
            {
                provider.EndListing(key);
            }
        }

        var cursor = new DropboxCursor(folder.Id, recursive, limit, provider.CursorGeneration, true, provider.Files.Version, 0, 0);
        return DropboxFeed.Page(provider, folder, cursor, view.Prefix);
    }

    private static async Task<IResult> ContinueAsync(HttpContext context, FakeProviderState provider)
    {
        const string Route = "files/list_folder/continue";
        if (DropboxRpc.RejectAuth(context, provider, Route) is { } rejection)
        {
            return rejection;
        }

        if (DropboxView.Resolve(context, provider, Route, out var view) is { } badRoot)
        {
            return badRoot;
        }

        var (args, error) = await DropboxRpc.ReadArgsAsync(context, Route);
        if (error is not null)
        {
            return error;
        }

        var token = DropboxRpc.String(args, "cursor");
        if (DropboxCursor.TryDecode(token) is not { } cursor)
        {
            return DropboxErrors.BadInput(Route, $"Invalid \"cursor\" parameter: '{token}'");
        }

        // An invalidated cursor, or one whose folder is gone, must be restarted from list_folder.
        return DropboxFeed.Usable(provider, cursor) is { } folder && view.Contains(folder)
            ? DropboxFeed.Page(provider, folder, cursor, view.Prefix)
            : DropboxErrors.Reset();
    }

    /// <summary>A cursor for "changes from now on", without listing anything.</summary>
    private static async Task<IResult> LatestCursorAsync(HttpContext context, FakeProviderState provider)
    {
        const string Route = "files/list_folder/get_latest_cursor";
        if (DropboxRpc.RejectAuth(context, provider, Route) is { } rejection)
        {
            return rejection;
        }

        if (DropboxView.Resolve(context, provider, Route, out var view) is { } badRoot)
        {
            return badRoot;
        }

        var (args, error) = await DropboxRpc.ReadArgsAsync(context, Route);
        if (error is not null)
        {
            return error;
        }

        var limit = DropboxRpc.Int(args, "limit") ?? DefaultLimit;
        if (limit is < 1 or > 2000)
        {
            return DropboxErrors.BadInput(Route, $"request body: limit: {limit} is not within range [1, 2000]");
        }

        if (DropboxRpc.ResolvePath(view, Route, DropboxRpc.String(args, "path"), out var folder) is { } badPath)
        {
            return badPath;
        }

        if (folder is not { IsFolder: true })
        {
            return DropboxErrors.Path(folder is null ? "not_found" : "not_folder");
        }

        var cursor = new DropboxCursor(folder.Id, DropboxRpc.Bool(args, "recursive") ?? false, limit, provider.CursorGeneration,
            false, provider.Files.Version, 0, 0);
        return FakeResult.Json(new JsonObject { ["cursor"] = cursor.Encode() });
    }

    private static async Task<IResult> GetMetadataAsync(HttpContext context, FakeProviderState provider)
    {
        const string Route = "files/get_metadata";
        if (DropboxRpc.RejectAuth(context, provider, Route) is { } rejection)
        {
            return rejection;
        }

        if (DropboxView.Resolve(context, provider, Route, out var view) is { } badRoot)
        {
            return badRoot;
        }

        var (args, error) = await DropboxRpc.ReadArgsAsync(context, Route);
        if (error is not null)
        {
            return error;
        }

        if (DropboxRpc.ResolvePath(view, Route, DropboxRpc.String(args, "path"), out var item) is { } badPath)
        {
            return badPath;
        }

        return item is null || item.Id == view.Base.Id ? DropboxErrors.Path("not_found") : FakeResult.Json(DropboxEntryJson.Entry(provider.Files, item, prefix: view.Prefix));
    }
}
