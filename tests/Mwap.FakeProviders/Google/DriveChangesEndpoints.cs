using System.Globalization;
using System.Text.Json.Nodes;
using Mwap.FakeProviders.Drive;
using Mwap.FakeProviders.Hosting;

namespace Mwap.FakeProviders.Google;

/// <summary>
/// Drive v3 <c>changes.getStartPageToken</c> and <c>changes.list</c>. A start token is the drive's change version as
/// a decimal string ("1234"); a next-page token adds the page number ("1234~2") so short-page mode can vary sizes.
/// Each page holds the latest state of each changed file, permanent deletes as <c>removed:true</c> without
/// <c>file</c>, and exactly one of <c>nextPageToken</c> / <c>newStartPageToken</c>.
/// </summary>
internal static class DriveChangesEndpoints
{
    public static void MapDriveChanges(this IEndpointRouteBuilder google, FakeProviderState provider)
    {
        google.MapGet("/drive/v3/changes/startPageToken", (HttpContext context) => StartPageToken(context, provider));
        google.MapGet("/drive/v3/changes", (HttpContext context) => List(context, provider));
    }

    private static FakeResult StartPageToken(HttpContext context, FakeProviderState provider)
    {
        if (GoogleAuth.Reject(context, provider, needsDriveScope: true) is { } rejection)
        {
            return rejection;
        }

        if (!TryFields(context.Request.Query, out var fields))
        {
            return GoogleErrors.InvalidValue("fields");
        }

        var body = new JsonObject
        {
            ["kind"] = "drive#startPageToken",
            ["startPageToken"] = provider.Files.Version.ToString(CultureInfo.InvariantCulture),
        };
        return FakeResult.Json(fields?.Apply(body) ?? body);
    }

    private static FakeResult List(HttpContext context, FakeProviderState provider)
    {
        if (GoogleAuth.Reject(context, provider, needsDriveScope: true) is { } rejection)
        {
            return rejection;
        }

        var query = context.Request.Query;
        if (!TryFields(query, out var fields))
        {
            return GoogleErrors.InvalidValue("fields");
        }

        var pageSize = 100;
        if (query.ContainsKey("pageSize") && (!int.TryParse(query["pageSize"], CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 1000))
        {
            return GoogleErrors.InvalidValue("pageSize", $"Invalid value '{query["pageSize"]}'. Values must be within the range: [1, 1000]");
        }

        if (!query.ContainsKey("pageToken"))
        {
            return GoogleErrors.Result(400, "required", "Required parameter: pageToken", location: "pageToken");
        }

        if (!TryParseToken(query["pageToken"].ToString(), out var after, out var pageNumber) || !provider.Files.IsValidPosition(after))
        {
            return GoogleErrors.InvalidValue("pageToken");
        }

        var allDrives = query["supportsAllDrives"] == "true" && query["includeItemsFromAllDrives"] == "true";
        var includeRemoved = query["includeRemoved"] != "false";
        var appDataOnly = query.ContainsKey("spaces") && !query["spaces"].ToString().Split(',').Contains("drive");
        var size = PageCursor.SizeOf(pageNumber, provider.PageSize(pageSize), provider.ShortPages);
        var page = ChangeFeed.Read(provider.Files, after, 0, size, view =>
            !view.IsLatest || view.Change.Item.IsRoot || appDataOnly
            || (view.Change.Item.SharedDriveId is not null && !allDrives)
            || (view.Change.Kind == DriveChangeKind.Deleted && !includeRemoved)
                ? []
                : [new FeedItem(null, () => Change(view.Change, fields is null))]);

        var body = new JsonObject { ["kind"] = "drive#changeList" };
        if (page.HasMore)
        {
            body["nextPageToken"] = string.Create(CultureInfo.InvariantCulture, $"{page.After}~{pageNumber + 1}");
        }
        else
        {
            body["newStartPageToken"] = page.After.ToString(CultureInfo.InvariantCulture);
        }

        body["changes"] = new JsonArray([.. page.Items]);
        return FakeResult.Json(fields?.Apply(body) ?? body);
    }

    private static JsonObject Change(DriveChange change, bool defaultFields)
    {
        var item = change.Item;
        var removed = change.Kind == DriveChangeKind.Deleted || item.IsDeleted;
        var json = new JsonObject
        {
            ["kind"] = "drive#change",
            ["changeType"] = "file",
            ["time"] = DriveFileJson.Time(change.Time),
            ["removed"] = removed,
            ["fileId"] = item.Id,
        };
        if (item.SharedDriveId is not null)
        {
            json["driveId"] = item.SharedDriveId;
        }

        if (!removed)
        {
            var file = DriveFileJson.Full(item);
            json["file"] = defaultFields ? DriveFileJson.DefaultFileFields.Apply(file) : file;
        }

        return json;
    }

    private static bool TryParseToken(string token, out long after, out int page)
    {
        page = 0;
        var parts = token.Split('~');
        return long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out after)
            && parts.Length switch
            {
                1 => true,
                2 => int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out page),
                _ => false,
            };
    }

    private static bool TryFields(IQueryCollection query, out DriveFields? fields)
    {
        fields = null;
        return !query.TryGetValue("fields", out var value) || (fields = DriveFields.TryParse(value.ToString())) is not null;
    }
}
