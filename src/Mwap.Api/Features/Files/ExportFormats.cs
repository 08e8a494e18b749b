namespace Mwap.Api.Features.Files;

/// <summary>
/// Google Docs-editor files have no bytes of their own; they download through Drive's export
/// (https://developers.google.com/drive/api/guides/ref-export-formats) in a format chosen with <c>?format=</c>, by
/// default the Office format of their kind (a drawing: PDF). Drive caps exported content at 10 MB.
/// </summary>
internal static class ExportFormats
{
    public const string NativePrefix = "application/vnd.google-apps.";

    private static readonly Dictionary<string, string> MimeByFormat = new(StringComparer.Ordinal)
    {
        ["docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ["xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ["pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ["odt"] = "application/vnd.oasis.opendocument.text",
        ["ods"] = "application/vnd.oasis.opendocument.spreadsheet",
        ["odp"] = "application/vnd.oasis.opendocument.presentation",
        ["pdf"] = "application/pdf",
        ["txt"] = "text/plain",
        ["rtf"] = "application/rtf",
        ["epub"] = "application/epub+zip",
        ["csv"] = "text/csv",
        ["tsv"] = "text/tab-separated-values",
        ["png"] = "image/png",
        ["jpg"] = "image/jpeg",
        ["svg"] = "image/svg+xml",
    };

    /// <summary>Formats per kind, the default first.</summary>
    private static readonly Dictionary<string, string[]> FormatsByKind = new(StringComparer.Ordinal)
    {
        [NativePrefix + "document"] = ["docx", "pdf", "odt", "txt", "rtf", "epub"],
        [NativePrefix + "spreadsheet"] = ["xlsx", "pdf", "ods", "csv", "tsv"],
        [NativePrefix + "presentation"] = ["pptx", "pdf", "odp", "txt"],
        [NativePrefix + "drawing"] = ["pdf", "png", "jpg", "svg"],
    };

    public static bool IsNative(string mimeType) => mimeType.StartsWith(NativePrefix, StringComparison.Ordinal);

    /// <summary>The export of a native file in <paramref name="format"/> (or its default): (mime type, file extension).</summary>
    public static (string MimeType, string Extension) Resolve(string nativeMimeType, string? format)
    {
        if (!FormatsByKind.TryGetValue(nativeMimeType, out var formats))
        {
            throw new Infrastructure.Http.BadRequestException("file/not-downloadable", "This kind of Google file cannot be downloaded or exported");
        }

        var chosen = string.IsNullOrEmpty(format) ? formats[0] : format.ToLowerInvariant();
        return formats.Contains(chosen, StringComparer.Ordinal)
            ? (MimeByFormat[chosen], chosen)
            : throw new Infrastructure.Http.BadRequestException("file/invalid-format", $"Format must be one of: {string.Join(", ", formats)}");
    }
}
