using System.Globalization;
using System.Text.Json.Nodes;
using Mwap.FakeProviders.Drive;
using Mwap.FakeProviders.Hosting;
using Mwap.FakeProviders.Tokens;
using Downloads = System.Collections.Concurrent.ConcurrentDictionary<string, (string ItemId, System.DateTimeOffset ExpiresAt)>;

namespace Mwap.FakeProviders.Microsoft;

/// <summary>
/// OneDrive items and children with <c>$top</c> paging: <c>@odata.nextLink</c> is an absolute URL carrying a
/// <c>$skiptoken</c>, to be followed verbatim. Files carry a pre-authenticated <c>downloadUrl</c> valid for an hour.
/// </summary>
internal static class GraphDriveEndpoints
{
    private const int DefaultTop = 200;
    private static readonly TimeSpan DownloadUrlLifetime = TimeSpan.FromHours(1);

    public static void MapGraphDrive(this IEndpointRouteBuilder app, FakeProviderState provider)
    {
        var downloads = new Downloads(StringComparer.Ordinal);
        var graph = app.MapGroup(ProviderPaths.Graph + "/v1.0");
        graph.MapGet("/me/drive/root", (HttpContext c) => Item(c, provider, downloads, null, provider.Files.Root.Id));
        graph.MapGet("/me/drive/root/children", (HttpContext c) => Children(c, provider, downloads, null, provider.Files.Root.Id));
        graph.MapGet("/me/drive/items/{id}", (HttpContext c, string id) => Item(c, provider, downloads, null, id));
        graph.MapGet("/me/drive/items/{id}/children", (HttpContext c, string id) => Children(c, provider, downloads, null, id));
        graph.MapGet("/me/drive/items/{id}/content", (HttpContext c, string id) => Content(c, provider, downloads, id));
        graph.MapGet("/drives/{driveId}/root/children", (HttpContext c, string driveId) => Children(c, provider, downloads, driveId, provider.Files.Root.Id));
        graph.MapGet("/drives/{driveId}/items/{id}", (HttpContext c, string driveId, string id) => Item(c, provider, downloads, driveId, id));
        graph.MapGet("/drives/{driveId}/items/{id}/children", (HttpContext c, string driveId, string id) => Children(c, provider, downloads, driveId, id));
        graph.MapGet("/me/drive/root/delta", (HttpContext c) => GraphDeltaEndpoint.Delta(c, provider, downloads, null));
        graph.MapGet("/drives/{driveId}/root/delta", (HttpContext c, string driveId) => GraphDeltaEndpoint.Delta(c, provider, downloads, driveId));
        app.MapGet(ProviderPaths.GraphDownloads + "/{token}", (string token) => Download(provider, downloads, token));
    }

    private static FakeResult Item(HttpContext context, FakeProviderState provider, Downloads downloads, string? driveId, string id)
    {
        if (GraphAuth.Reject(context, provider) is { } rejection)
        {
            return rejection;
        }

        if (Find(provider, driveId, id) is not { } item)
        {
            return GraphErrors.ItemNotFound();
        }

        var json = Render(context, provider, downloads, item);
        json.Insert(0, "@odata.context", $"{GraphBase(context)}/$metadata#users('{provider.Account.Id}')/drive/items/$entity");
        return FakeResult.Json(GraphAuth.Select(context.Request, json));
    }

    private static FakeResult Children(HttpContext context, FakeProviderState provider, Downloads downloads, string? driveId, string id)
    {
        if (GraphAuth.Reject(context, provider) is { } rejection)
        {
            return rejection;
        }

        var query = context.Request.Query;
        var top = DefaultTop;
        if (query.ContainsKey("$top") && (!int.TryParse(query["$top"], CultureInfo.InvariantCulture, out top) || top < 1))
        {
            return GraphErrors.InvalidRequest($"Invalid page size specified: '{query["$top"]}'.");
        }

        if (Find(provider, driveId, id) is not { IsFolder: true } folder)
        {
            return GraphErrors.ItemNotFound();
        }

        var scope = "graph:" + folder.Id;
        var cursor = new PageCursor(0, 0);
        if (query.ContainsKey("$skiptoken") && !PageCursor.TryDecode(query["$skiptoken"], scope, out cursor))
        {
            return GraphErrors.InvalidRequest("Invalid skip token.");
        }

        var children = provider.Files.Children(folder).Where(c => !c.Trashed).ToList();
        var (page, next) = cursor.Take(children, provider.PageSize(top), provider.ShortPages);
        var body = new JsonObject
        {
            ["@odata.context"] = $"{GraphBase(context)}/$metadata#users('{provider.Account.Id}')/drive/items('{folder.Id}')/children",
        };
        if (next is { } n)
        {
            var select = query["$select"].ToString();
            body["@odata.nextLink"] = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{context.Request.Path}"
                + $"?$top={top}&$skiptoken={n.Encode(scope)}" + (select.Length > 0 ? "&$select=" + Uri.EscapeDataString(select) : "");
        }

        body["value"] = new JsonArray([.. page.Select(i => GraphAuth.Select(context.Request, Render(context, provider, downloads, i)))]);
        return FakeResult.Json(body);
    }

    /// <summary><c>/content</c> answers 302 to the pre-authenticated URL; clients must not forward the bearer token there.</summary>
    private static FakeResult Content(HttpContext context, FakeProviderState provider, Downloads downloads, string id)
    {
        if (GraphAuth.Reject(context, provider) is { } rejection)
        {
            return rejection;
        }

        return Find(provider, null, id) is { Content: not null } item
            ? FakeResult.Redirect(DownloadUrl(context, provider, downloads, item))
            : GraphErrors.ItemNotFound();
    }

    private static IResult Download(FakeProviderState provider, Downloads downloads, string token)
    {
        if (!downloads.TryGetValue(token, out var link) || link.ExpiresAt <= provider.Time.GetUtcNow()
            || provider.Files.Find(link.ItemId) is not { Content: { } content } item)
        {
            return FakeResult.Text("The download URL is invalid or has expired.", 404);
        }

        return Results.Bytes(content, item.MimeType, enableRangeProcessing: true);
    }

    internal static JsonObject Render(HttpContext context, FakeProviderState provider, Downloads downloads, FakeDriveItem item, bool withPath = true) =>
        DriveItemJson.Item(provider.Files, item, item.Content is null ? null : DownloadUrl(context, provider, downloads, item), withPath);

    private static string DownloadUrl(HttpContext context, FakeProviderState provider, Downloads downloads, FakeDriveItem item)
    {
        var token = TokenValues.Random("", 48);
        downloads[token] = (item.Id, provider.Time.GetUtcNow() + DownloadUrlLifetime);
        return $"{context.Request.Scheme}://{context.Request.Host}{ProviderPaths.GraphDownloads}/{token}";
    }

    private static FakeDriveItem? Find(FakeProviderState provider, string? driveId, string id)
    {
        if (driveId is not null && !string.Equals(driveId, DriveItemJson.DriveId(provider.Files), StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return (id == "root" ? provider.Files.Root : provider.Files.Find(id)) is { Trashed: false } item ? item : null;
    }

    private static string GraphBase(HttpContext context) =>
        $"{context.Request.Scheme}://{context.Request.Host}{ProviderPaths.Graph}/v1.0";
}
