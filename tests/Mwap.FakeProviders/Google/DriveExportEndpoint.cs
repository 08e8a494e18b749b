using System.Text;

namespace Mwap.FakeProviders.Google;

/// <summary>
/// <c>files.export</c> (https://developers.google.com/drive/api/reference/rest/v3/files/export): Docs-editor files
/// only, to the formats Drive lists per kind, and only up to 10 MB of exported content (403
/// <c>exportSizeLimitExceeded</c> beyond). The exported bytes are a text naming the file and the target type.
/// </summary>
internal static class DriveExportEndpoint
{
    private static readonly Dictionary<string, string[]> Targets = new(StringComparer.Ordinal)
    {
        ["application/vnd.google-apps.document"] =
        [
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/pdf",
            "application/vnd.oasis.opendocument.text", "text/plain", "application/rtf", "application/epub+zip", "application/zip",
        ],
        ["application/vnd.google-apps.spreadsheet"] =
        [
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/pdf",
            "application/vnd.oasis.opendocument.spreadsheet", "text/csv", "text/tab-separated-values", "application/zip",
        ],
        ["application/vnd.google-apps.presentation"] =
        [
            "application/vnd.openxmlformats-officedocument.presentationml.presentation", "application/pdf",
            "application/vnd.oasis.opendocument.presentation", "text/plain",
        ],
        ["application/vnd.google-apps.drawing"] = ["application/pdf", "image/png", "image/jpeg", "image/svg+xml"],
    };

    public static void MapDriveExport(this IEndpointRouteBuilder google, FakeProviderState provider) =>
        google.MapGet("/drive/v3/files/{fileId}/export", (HttpContext context, string fileId) => Export(context, provider, fileId));

    private static IResult Export(HttpContext context, FakeProviderState provider, string fileId)
    {
        if (GoogleAuth.Reject(context, provider, needsDriveScope: true) is { } rejection)
        {
            return rejection;
        }

        var item = provider.Files.Find(fileId);
        if (item is null || item.Trashed)
        {
            return GoogleErrors.FileNotFound(fileId);
        }

        var target = context.Request.Query["mimeType"].ToString();
        if (target.Length == 0)
        {
            return GoogleErrors.Result(400, "required", "Required parameter: mimeType", location: "mimeType");
        }

        if (!Targets.TryGetValue(item.MimeType, out var allowed))
        {
            return GoogleErrors.Result(403, "fileNotExportable", "Export only supports Docs Editors files.");
        }

        if (!allowed.Contains(target, StringComparer.Ordinal))
        {
            return GoogleErrors.Result(400, "badRequest", "The requested conversion is not supported.", location: "convertTo");
        }

        if (provider.IsLargeExport(item.Id))
        {
            return GoogleErrors.Result(403, "exportSizeLimitExceeded", "This file is too large to be exported.");
        }

        return Results.Bytes(Encoding.UTF8.GetBytes($"{item.Name} exported as {target}\n"), target);
    }
}
