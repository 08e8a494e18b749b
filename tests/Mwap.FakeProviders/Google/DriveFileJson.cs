using System.Globalization;
using System.Text.Json.Nodes;
using Mwap.FakeProviders.Drive;

namespace Mwap.FakeProviders.Google;

/// <summary>A Drive v3 file resource. Int64 values (size, version, quota) are JSON strings, as Drive sends them.</summary>
internal static class DriveFileJson
{
    /// <summary>What Drive returns for a file when the request has no <c>fields</c>.</summary>
    public static readonly DriveFields DefaultFileFields = DriveFields.TryParse("kind,id,name,mimeType")!;

    public static JsonObject Full(FakeDriveItem item)
    {
        var json = new JsonObject
        {
            ["kind"] = "drive#file",
            ["id"] = item.Id,
            ["name"] = item.Name,
            ["mimeType"] = item.MimeType,
            ["starred"] = false,
            ["trashed"] = item.Trashed,
            ["explicitlyTrashed"] = item.Trashed,
            ["version"] = item.Version.ToString(CultureInfo.InvariantCulture),
            ["webViewLink"] = item.IsFolder
                ? $"https://drive.google.com/drive/folders/{item.Id}"
                : $"https://drive.google.com/file/d/{item.Id}/view?usp=drivesdk",
            ["createdTime"] = Time(item.CreatedTime),
            ["modifiedTime"] = Time(item.ModifiedTime),
            ["capabilities"] = new JsonObject { ["canDownload"] = true, ["canListChildren"] = item.IsFolder },
        };
        if (item.ParentId is not null)
        {
            json["parents"] = new JsonArray(item.ParentId);
        }

        if (item.ShortcutTargetId is not null)
        {
            json["shortcutDetails"] = new JsonObject { ["targetId"] = item.ShortcutTargetId, ["targetMimeType"] = item.ShortcutTargetMimeType };
        }

        if (item.SharedDriveId is not null)
        {
            json["driveId"] = item.SharedDriveId;
        }

        // Checksums, size and revisions exist only for binary files: not for folders, not for Google Docs.
        if (item.Hashes is { } hashes)
        {
            json["size"] = item.Size!.Value.ToString(CultureInfo.InvariantCulture);
            json["md5Checksum"] = hashes.Md5;
            json["sha1Checksum"] = hashes.Sha1;
            json["sha256Checksum"] = hashes.Sha256;
            json["headRevisionId"] = "0B" + item.Id[..Math.Min(20, item.Id.Length)] + "rev" + item.Version.ToString(CultureInfo.InvariantCulture);
            json["fileExtension"] = Path.GetExtension(item.Name).TrimStart('.');
        }

        return json;
    }

    /// <summary>RFC 3339 with milliseconds, e.g. 2024-05-01T12:34:56.789Z.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
