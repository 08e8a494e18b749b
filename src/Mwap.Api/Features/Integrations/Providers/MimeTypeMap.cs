namespace Mwap.Api.Features.Integrations.Providers;

/// <summary>MIME types guessed from a file's extension, for providers that do not send one (MWAP's table, extended).</summary>
internal static class MimeTypeMap
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        ["txt"] = "text/plain",
        ["html"] = "text/html",
        ["htm"] = "text/html",
        ["css"] = "text/css",
        ["csv"] = "text/csv",
        ["md"] = "text/markdown",
        ["js"] = "application/javascript",
        ["json"] = "application/json",
        ["xml"] = "application/xml",
        ["png"] = "image/png",
        ["jpg"] = "image/jpeg",
        ["jpeg"] = "image/jpeg",
        ["gif"] = "image/gif",
        ["svg"] = "image/svg+xml",
        ["webp"] = "image/webp",
        ["heic"] = "image/heic",
        ["tif"] = "image/tiff",
        ["tiff"] = "image/tiff",
        ["pdf"] = "application/pdf",
        ["doc"] = "application/msword",
        ["docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ["xls"] = "application/vnd.ms-excel",
        ["xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ["ppt"] = "application/vnd.ms-powerpoint",
        ["pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ["zip"] = "application/zip",
        ["mp3"] = "audio/mpeg",
        ["wav"] = "audio/wav",
        ["mp4"] = "video/mp4",
        ["mov"] = "video/quicktime",
    };

    public static string ForName(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot >= 0 && ByExtension.TryGetValue(name[(dot + 1)..], out var type) ? type : "application/octet-stream";
    }
}
