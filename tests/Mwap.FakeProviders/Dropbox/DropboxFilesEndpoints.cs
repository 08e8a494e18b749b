using System.Globalization;
using System.Text.Json.Nodes;
using Mwap.FakeProviders.Drive;
using Mwap.FakeProviders.Hosting;

namespace Mwap.FakeProviders.Dropbox;

/// <summary><c>files/list_folder</c> and <c>list_folder/continue</c>: cursor paging with has_more.</summary>
internal static class DropboxFilesEndpoints
{
    private const int DefaultLimit = 2000;

    public static void MapDropboxFiles(this IEndpointRouteBuilder api, FakeProviderState provider)
    {
        api.MapPost("/2/files/list_folder", Task<IResult> (HttpContext context) => ListFolderAsync(context, provider));
        api.MapPost("/2/files/list_folder/continue", Task<IResult> (HttpContext context) => ContinueAsync(context, provider));
        api.MapPost("/2/files/get_metadata", Task<IResult> (HttpContext context) => GetMetadataAsync(context, provider));
    }

    private static async Task<IResult> ListFolderAsync(HttpContext context, FakeProviderState provider)
    {
        const string Route = "files/list_folder";
        if (DropboxRpc.RejectAuth(context, provider, Route) is { } rejection)
        {
            return rejection;
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

        if (DropboxRpc.ResolvePath(provider.Files, Route, DropboxRpc.String(args, "path"), out var folder) is { } badPath)
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
        var scope = string.Join('|', "dbx", folder.Id, recursive, limit, provider.CursorGeneration);
        return Page(provider, scope, folder, recursive, limit, new PageCursor(0, 0));
    }

    private static async Task<IResult> ContinueAsync(HttpContext context, FakeProviderState provider)
    {
        const string Route = "files/list_folder/continue";
        if (DropboxRpc.RejectAuth(context, provider, Route) is { } rejection)
        {
            return rejection;
        }

        var (args, error) = await DropboxRpc.ReadArgsAsync(context, Route);
        if (error is not null)
        {
            return error;
        }

        var token = DropboxRpc.String(args, "cursor");
        if (!PageCursor.TryDecode(token, out var scope, out var cursor) || scope.Split('|') is not ["dbx", var folderId, var recursive, var limit, var generation])
        {
            return DropboxErrors.BadInput(Route, $"Invalid \"cursor\" parameter: '{token}'");
        }

        // An invalidated cursor, or one whose folder is gone, must be restarted from list_folder.
        var folder = provider.Files.Find(folderId);
        if (generation != provider.CursorGeneration.ToString(CultureInfo.InvariantCulture) || folder is null || DropboxRpc.IsHidden(provider.Files, folder))
        {
            return DropboxErrors.Reset();
        }

        return Page(provider, scope, folder, recursive == bool.TrueString, int.Parse(limit, CultureInfo.InvariantCulture), cursor);
    }

    private static async Task<IResult> GetMetadataAsync(HttpContext context, FakeProviderState provider)
    {
        const string Route = "files/get_metadata";
        if (DropboxRpc.RejectAuth(context, provider, Route) is { } rejection)
        {
            return rejection;
        }

        var (args, error) = await DropboxRpc.ReadArgsAsync(context, Route);
        if (error is not null)
        {
            return error;
        }

        if (DropboxRpc.ResolvePath(provider.Files, Route, DropboxRpc.String(args, "path"), out var item) is { } badPath)
        {
            return badPath;
        }

        return item is null || item.IsRoot ? DropboxErrors.Path("not_found") : FakeResult.Json(DropboxEntryJson.Entry(provider.Files, item));
    }

    /// <summary>The last page's cursor points past the end, so it can be kept and continued later.</summary>
    private static FakeResult Page(FakeProviderState provider, string scope, FakeDriveItem folder, bool recursive, int limit, PageCursor cursor)
    {
        var files = provider.Files;
        var entries = (recursive ? files.Descendants(folder) : files.Children(folder))
            .Where(i => !DropboxRpc.IsHidden(files, i))
            .ToList();
        var (page, next) = cursor.Take(entries, provider.PageSize(limit), provider.ShortPages);
        var after = next ?? new PageCursor(cursor.Offset + page.Count, cursor.Page + 1);
        return FakeResult.Json(new JsonObject
        {
            ["entries"] = new JsonArray([.. page.Select(i => DropboxEntryJson.Entry(files, i))]),
            ["cursor"] = after.Encode(scope),
            ["has_more"] = next is not null,
        });
    }
}
