using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Mwap.FakeProviders.Drive;
using Mwap.FakeProviders.Hosting;
using Downloads = System.Collections.Concurrent.ConcurrentDictionary<string, (string ItemId, System.DateTimeOffset ExpiresAt)>;

namespace Mwap.FakeProviders.Microsoft;

/// <summary>
/// <c>root/delta</c>. Without a token it enumerates the whole drive (root first, with <c>root:{}</c>) and ends with
/// an <c>@odata.deltaLink</c>; a delta link reports the latest state of each changed item together with its ancestor
/// folders (so items repeat; the last occurrence wins), deleted items as a <c>deleted</c> facet without name, and no
/// <c>parentReference.path</c> anywhere. Links are absolute and carry <c>token=</c>; <c>token=latest</c> skips to
/// now; an expired token is 410 <c>resyncRequired</c> with a Location that restarts the enumeration.
/// </summary>
internal static class GraphDeltaEndpoint
{
    private const int DefaultTop = 200;

    public static FakeResult Delta(HttpContext context, FakeProviderState provider, Downloads downloads, string? driveId)
    {
        if (GraphAuth.Reject(context, provider) is { } rejection)
        {
            return rejection;
        }

        if (driveId is not null && !string.Equals(driveId, DriveItemJson.DriveId(provider.Files), StringComparison.OrdinalIgnoreCase))
        {
            return GraphErrors.ItemNotFound();
        }

        var query = context.Request.Query;
        int? top = null;
        if (query.ContainsKey("$top"))
        {
            if (!int.TryParse(query["$top"], CultureInfo.InvariantCulture, out var requested) || requested < 1)
            {
                return GraphErrors.InvalidRequest($"Invalid page size specified: '{query["$top"]}'.");
            }

            top = requested;
        }

        var files = provider.Files;
        var token = query["token"].ToString();
        DeltaToken cursor;
        if (token.Length == 0)
        {
            cursor = new DeltaToken(true, files.Version, 0, 0, top ?? DefaultTop);
        }
        else if (token == "latest")
        {
            return Body(context, [], null, new DeltaToken(false, files.Version, 0, 0, top ?? DefaultTop));
        }
        else if (DeltaToken.TryDecode(token) is { } decoded)
        {
            cursor = decoded with { Top = top ?? decoded.Top };
        }
        else
        {
            return GraphErrors.InvalidRequest("Invalid delta token.");
        }

        if (!files.IsValidPosition(cursor.Since))
        {
            var restart = new DeltaToken(true, files.Version, 0, 0, cursor.Top);
            return FakeResult.Json(
                GraphErrors.Body("resyncRequired", "Resync required. Replace any local items with the server's version.", "resyncChangesApplyDifferences"),
                StatusCodes.Status410Gone, FakeResult.Header("Location", Link(context, restart)));
        }

        var pageSize = provider.PageSize(cursor.Top);
        if (cursor.Listing)
        {
            var all = new RootFirst(files.Root, files.Subtree(files.Root, skipTrashed: true));
            var (page, next) = new PageCursor(cursor.Offset, cursor.Page).Take(all, pageSize, provider.ShortPages);
            var items = page.Select(i => Select(context, GraphDriveEndpoints.Render(context, provider, downloads, i, withPath: false))).ToList();
            if (next is not null && (cursor.Offset > 0 || cursor.Page > 0) && Loops(provider.DeltaPageLoop, cursor.Top != DefaultTop || top is not null))
            {
                // onedrive-api-docs#1424: the continuation page answers with a nextLink to itself, forever.
                return Body(context, items, cursor, null);
            }

            return next is { } n
                ? Body(context, items, cursor with { Offset = n.Offset, Page = n.Page }, null)
                : Body(context, items, null, cursor with { Listing = false, Offset = 0, Page = 0 });
        }

        var size = PageCursor.SizeOf(cursor.Page, pageSize, provider.ShortPages);
        var changes = ChangeFeed.Read(files, cursor.Since, cursor.Offset, size, view => Expand(context, provider, downloads, view));
        return changes.HasMore
            ? Body(context, changes.Items, new DeltaToken(false, changes.After, changes.Skip, cursor.Page + 1, cursor.Top), null)
            : Body(context, changes.Items, null, new DeltaToken(false, changes.After, 0, 0, cursor.Top));
    }

    private static bool Loops(GraphDeltaLoop loop, bool explicitTop) =>
        loop == GraphDeltaLoop.Always || (loop == GraphDeltaLoop.WhenTopGiven && explicitTop);

    private static List<FeedItem> Expand(HttpContext context, FakeProviderState provider, Downloads downloads, ChangeView view)
    {
        var files = provider.Files;
        var (change, item) = (view.Change, view.Change.Item);
        var result = new List<FeedItem>();
        if (!view.IsLatest || (change.Kind is not (DriveChangeKind.Deleted or DriveChangeKind.Trashed) && (item.IsDeleted || IsHidden(files, item))))
        {
            return result;
        }

        // The changed item's ancestors come first (root down), as OneDrive re-emits the folders whose contents changed.
        var ancestors = new List<FakeDriveItem>();
        for (var parent = item.ParentId is null ? null : files.Find(item.ParentId); parent is not null;
             parent = parent.ParentId is null ? null : files.Find(parent.ParentId))
        {
            ancestors.Insert(0, parent);
        }

        result.AddRange(ancestors.Select(a => Live(context, provider, downloads, a)));
        switch (change.Kind)
        {
            case DriveChangeKind.Deleted:
                result.Add(new FeedItem(item.Id, () => DriveItemJson.Deleted(files, item)));
                break;
            case DriveChangeKind.Trashed:
                result.Add(new FeedItem(item.Id, () => DriveItemJson.Deleted(files, item)));
                result.AddRange(files.Subtree(item, skipTrashed: false).Select(d => new FeedItem(d.Id, () => DriveItemJson.Deleted(files, d))));
                break;
            default:
                result.Add(Live(context, provider, downloads, item));
                break;
        }

        return result;
    }

    private static FeedItem Live(HttpContext context, FakeProviderState provider, Downloads downloads, FakeDriveItem item) =>
        new(item.Id, () => Select(context, GraphDriveEndpoints.Render(context, provider, downloads, item, withPath: false)));

    private static bool IsHidden(FakeDrive files, FakeDriveItem item)
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

    /// <summary><c>$select</c> applies, but a deleted item always keeps its id and <c>deleted</c> facet.</summary>
    private static JsonObject Select(HttpContext context, JsonObject item)
    {
        var selected = GraphAuth.Select(context.Request, item);
        foreach (var name in new[] { "id", "deleted" })
        {
            if (item[name] is { } value && !selected.ContainsKey(name))
            {
                selected[name] = value.DeepClone();
            }
        }

        return selected;
    }

    private static FakeResult Body(HttpContext context, IReadOnlyList<JsonObject> items, DeltaToken? next, DeltaToken? delta)
    {
        var request = context.Request;
        var body = new JsonObject
        {
            ["@odata.context"] = $"{request.Scheme}://{request.Host}{ProviderPaths.Graph}/v1.0/$metadata#Collection(driveItem)",
        };
        if (next is not null)
        {
            body["@odata.nextLink"] = Link(context, next);
        }

        if (delta is not null)
        {
            body["@odata.deltaLink"] = Link(context, delta);
        }

        body["value"] = new JsonArray([.. items]);
        return FakeResult.Json(body);
    }

    private static string Link(HttpContext context, DeltaToken token)
    {
        var request = context.Request;
        var select = request.Query["$select"].ToString();
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?token={token.Encode()}"
            + (select.Length > 0 ? "&$select=" + Uri.EscapeDataString(select) : "");
    }

    /// <summary>The root followed by the drive's (cached) subtree, without copying 100,000 items per page.</summary>
    private sealed class RootFirst(FakeDriveItem root, IReadOnlyList<FakeDriveItem> rest) : IReadOnlyList<FakeDriveItem>
    {
        public int Count => rest.Count + 1;

        public FakeDriveItem this[int index] => index == 0 ? root : rest[index - 1];

        public IEnumerator<FakeDriveItem> GetEnumerator() => rest.Prepend(root).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Opaque delta/next token: listing offset or change position, the page number and the page size.</summary>
    private sealed record DeltaToken(bool Listing, long Since, int Offset, int Page, int Top)
    {
        public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"d1\n{Listing}\n{Since}\n{Offset}\n{Page}\n{Top}")));

        public static DeltaToken? TryDecode(string token)
        {
            if (!Base64Url.IsValid(token))
            {
                return null;
            }

            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('\n');
            return parts is ["d1", var listing, var since, var offset, var page, var top]
                && bool.TryParse(listing, out var isListing)
                && long.TryParse(since, CultureInfo.InvariantCulture, out var sinceValue)
                && int.TryParse(offset, CultureInfo.InvariantCulture, out var offsetValue) && offsetValue >= 0
                && int.TryParse(page, CultureInfo.InvariantCulture, out var pageValue) && pageValue >= 0
                && int.TryParse(top, CultureInfo.InvariantCulture, out var topValue) && topValue > 0
                    ? new DeltaToken(isListing, sinceValue, offsetValue, pageValue, topValue)
                    : null;
        }
    }
}
