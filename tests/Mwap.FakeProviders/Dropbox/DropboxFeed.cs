using System.Text.Json.Nodes;
using Mwap.FakeProviders.Drive;
using Mwap.FakeProviders.Hosting;

namespace Mwap.FakeProviders.Dropbox;

/// <summary>
/// The pages behind list_folder and continue. A listing (recursive: parents before children) ends with a change
/// cursor; continuing it reports, within the cursor's folder: files and folders at their current paths, one
/// <c>deleted</c> entry for a deleted (or trashed) item, and a move or rename as <c>deleted</c> at the old path plus
/// the item at the new one with the same id, its whole subtree again when the cursor is recursive.
/// </summary>
internal static class DropboxFeed
{
    /// <summary>The cursor's folder, or null when the cursor must be reset (invalidated, expired, or folder gone).</summary>
    public static FakeDriveItem? Usable(FakeProviderState provider, DropboxCursor cursor)
    {
        var folder = provider.Files.Find(cursor.FolderId);
        return cursor.Generation != provider.CursorGeneration || folder is null || DropboxRpc.IsHidden(provider.Files, folder)
            || (!cursor.Listing && !provider.Files.IsValidPosition(cursor.Since))
            ? null
            : folder;
    }

    public static FakeResult Page(FakeProviderState provider, FakeDriveItem folder, DropboxCursor cursor, string prefix = "")
    {
        var files = provider.Files;
        var pageSize = provider.PageSize(cursor.Limit);
        if (cursor.Listing)
        {
            var entries = cursor.Recursive
                ? files.Subtree(folder, skipTrashed: true)
                : [.. files.Children(folder).Where(c => !c.Trashed)];
            var (page, next) = new PageCursor(cursor.Offset, cursor.Page).Take(entries, pageSize, provider.ShortPages);
            var after = next is { } n
                ? cursor with { Offset = n.Offset, Page = n.Page }
                : cursor with { Listing = false, Offset = 0, Page = 0 };
            return Body([.. page.Select(i => DropboxEntryJson.Entry(files, i, prefix: prefix))], after, next is not null);
        }

        var size = PageCursor.SizeOf(cursor.Page, pageSize, provider.ShortPages);
        var changes = ChangeFeed.Read(files, cursor.Since, cursor.Offset, size, view => Expand(files, folder, cursor.Recursive, view, prefix));
        var following = changes.HasMore
            ? cursor with { Since = changes.After, Offset = changes.Skip, Page = cursor.Page + 1 }
            : cursor with { Since = changes.After, Offset = 0, Page = 0 };
        return Body(changes.Items, following, changes.HasMore);
    }

    /// <summary>Whether continuing the cursor would return anything (longpoll's answer).</summary>
    public static bool HasChanges(FakeProviderState provider, FakeDriveItem folder, DropboxCursor cursor) =>
        cursor.Listing
        || ChangeFeed.Read(provider.Files, cursor.Since, cursor.Offset, 1, view => Expand(provider.Files, folder, cursor.Recursive, view)).Items.Count > 0;

    private static FakeResult Body(IReadOnlyList<JsonObject> entries, DropboxCursor cursor, bool hasMore) => FakeResult.Json(new JsonObject
    {
        ["entries"] = new JsonArray([.. entries]),
        ["cursor"] = cursor.Encode(),
        ["has_more"] = hasMore,
    });

    private static List<FeedItem> Expand(FakeDrive files, FakeDriveItem folder, bool recursive, ChangeView view, string prefix = "")
    {
        var scope = files.PathOf(folder).ToLowerInvariant();
        var change = view.Change;
        var result = new List<FeedItem>();
        switch (change.Kind)
        {
            // Only the top of a deleted subtree: deleting a folder's path deletes its children on the client.
            case DriveChangeKind.Deleted when !change.ViaAncestor && InScope(change.Path!, scope, recursive):
            case DriveChangeKind.Trashed when view.IsLatest && InScope(change.Path!, scope, recursive):
                result.Add(Deleted(change.Path!, prefix));
                break;
            case DriveChangeKind.Moved:
                if (InScope(change.OldPath!, scope, recursive))
                {
                    result.Add(Deleted(change.OldPath!, prefix));
                }

                if (view.IsLatest)
                {
                    AddLive(files, change.Item, scope, recursive, result, withSubtree: recursive, prefix);
                }

                break;
            case DriveChangeKind.Added or DriveChangeKind.Updated when view.IsLatest && !change.Item.IsRoot:
                AddLive(files, change.Item, scope, recursive, result, withSubtree: false, prefix);
                break;
            default:
                break;
        }

        return result;
    }

    private static void AddLive(FakeDrive files, FakeDriveItem item, string scope, bool recursive, List<FeedItem> result, bool withSubtree, string prefix)
    {
        if (item.IsDeleted || DropboxRpc.IsHidden(files, item) || !InScope(files.PathOf(item), scope, recursive))
        {
            return;
        }

        result.Add(new FeedItem(null, () => DropboxEntryJson.Entry(files, item, prefix: prefix)));
        if (withSubtree && item.IsFolder)
        {
            // A moved or renamed folder: with a recursive cursor its subtree comes again at the new paths.
            result.AddRange(files.Subtree(item, skipTrashed: true).Select(d => new FeedItem(null, () => DropboxEntryJson.Entry(files, d, prefix: prefix))));
        }
    }

    private static bool InScope(string path, string scope, bool recursive)
    {
        var lower = path.ToLowerInvariant();
        if (recursive)
        {
            return lower.Length > scope.Length && lower.StartsWith(scope + "/", StringComparison.Ordinal);
        }

        var slash = lower.LastIndexOf('/');
        return slash >= 0 && lower[..slash] == scope;
    }

    private static FeedItem Deleted(string absolute, string prefix) => new(null, () =>
    {
        var path = prefix.Length > 0 && absolute.Length > prefix.Length ? absolute[prefix.Length..] : absolute;
        var name = path[(path.LastIndexOf('/') + 1)..];
        return new JsonObject
        {
            [".tag"] = "deleted",
            ["name"] = name,
            ["path_lower"] = path.ToLowerInvariant(),
            ["path_display"] = path,
        };
    });
}
