using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mwap.FakeProviders.Drive;
using Mwap.FakeProviders.Hosting;

namespace Mwap.FakeProviders.Google;

/// <summary>Drive v3 <c>files.list</c> and <c>files.get</c> (metadata and <c>alt=media</c>).</summary>
internal static partial class DriveFilesEndpoints
{
    public static void MapDriveFiles(this IEndpointRouteBuilder google, FakeProviderState provider)
    {
        google.MapGet("/drive/v3/files", (HttpContext context) => List(context, provider));
        google.MapGet("/drive/v3/files/{fileId}", (HttpContext context, string fileId) => Get(context, provider, fileId));
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

        var q = query["q"].ToString();
        var matches = q.Length == 0 ? (_ => true) : DriveQuery.TryParse(q, provider.Files.Root.Id);
        if (matches is null)
        {
            return GoogleErrors.InvalidValue("q");
        }

        // Without both flags Drive hides shared-drive items; clients that forget them see a partial tree.
        var allDrives = query["supportsAllDrives"] == "true" && query["includeItemsFromAllDrives"] == "true";
        var items = Candidates(provider.Files, q).Where(i => matches(i) && (allDrives || i.SharedDriveId is null)).ToList();
        var scope = Scope(q, allDrives);
        var cursor = new PageCursor(0, 0);
        if (query.ContainsKey("pageToken") && !PageCursor.TryDecode(query["pageToken"], scope, out cursor))
        {
            return GoogleErrors.InvalidValue("pageToken");
        }

        var (page, next) = cursor.Take(items, provider.PageSize(pageSize), provider.ShortPages);
        var severalParents = ParentTerms().Count(q) > 1;
        var fault = provider.DriveSearchFault;
        if (fault == DriveSearchFault.EmptyForSeveralParents && severalParents)
        {
            // Google issue tracker 149522397 / rclone #3114: an OR of parents answers an empty list, and no error.
            (page, next) = ([], null);
        }

        var incomplete = fault == DriveSearchFault.IncompleteAlways || (fault == DriveSearchFault.IncompleteForSeveralParents && severalParents);
        if (incomplete)
        {
            page = [.. page.Take(page.Count / 2)];
        }

        var body = new JsonObject { ["kind"] = "drive#fileList" };
        if (next is { } n)
        {
            body["nextPageToken"] = n.Encode(scope);
        }

        body["incompleteSearch"] = incomplete;
        body["files"] = new JsonArray([.. page.Select(i => fields is null ? DriveFileJson.DefaultFileFields.Apply(DriveFileJson.Full(i)) : DriveFileJson.Full(i))]);
        return FakeResult.Json(fields?.Apply(body) ?? body);
    }

    private static IResult Get(HttpContext context, FakeProviderState provider, string fileId)
    {
        if (GoogleAuth.Reject(context, provider, needsDriveScope: true) is { } rejection)
        {
            return rejection;
        }

        var query = context.Request.Query;
        var item = fileId == "root" ? provider.Files.Root : provider.Files.Find(fileId);
        if (item is null || (item.SharedDriveId is not null && query["supportsAllDrives"] != "true"))
        {
            return GoogleErrors.FileNotFound(fileId);
        }

        if (query["alt"] == "media")
        {
            return item.Content is null
                ? GoogleErrors.Result(403, "fileNotDownloadable",
                    "Only files with binary content can be downloaded. Use Export with Docs Editors files.", location: "alt")
                : Results.Bytes(item.Content, item.MimeType, enableRangeProcessing: true);
        }

        if (!TryFields(query, out var fields))
        {
            return GoogleErrors.InvalidValue("fields");
        }

        return FakeResult.Json((fields ?? DriveFileJson.DefaultFileFields).Apply(DriveFileJson.Full(item)));
    }

    /// <summary>
    /// The items worth testing against <c>q</c>: a query that is a plain <c>'id' in parents and …</c> chain can only
    /// match that folder's children, so a folder-by-folder walk of a 100,000-file drive need not scan it per request.
    /// </summary>
    private static IReadOnlyList<FakeDriveItem> Candidates(FakeDrive files, string q)
    {
        var match = InParents().Match(q);
        if (!match.Success || q.Contains(" or ", StringComparison.OrdinalIgnoreCase) || q.Contains("not ", StringComparison.OrdinalIgnoreCase))
        {
            return files.Snapshot();
        }

        var parentId = match.Groups[1].Value;
        return files.Find(parentId == "root" ? files.Root.Id : parentId) is { IsFolder: true } folder ? files.Children(folder) : [];
    }

    [GeneratedRegex(@"^\s*'([^'\\]+)'\s+in\s+parents\b")]
    private static partial Regex InParents();

    [GeneratedRegex(@"'\s+in\s+parents\b")]
    private static partial Regex ParentTerms();

    private static bool TryFields(IQueryCollection query, out DriveFields? fields)
    {
        fields = null;
        return !query.TryGetValue("fields", out var value) || (fields = DriveFields.TryParse(value.ToString())) is not null;
    }

    /// <summary>A page token is only valid for the query that produced it.</summary>
    private static string Scope(string q, bool allDrives) =>
        "drive:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(q + "|" + allDrives)))[..16];
}
