using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Mwap.FakeProviders.Drive;

namespace Mwap.FakeProviders.Microsoft;

/// <summary>A Graph driveItem as OneDrive Personal returns it: facets (folder/file/root), quickXorHash only.</summary>
internal static class DriveItemJson
{
    public static JsonObject Item(FakeDrive files, FakeDriveItem item, string? downloadUrl, bool withPath = true)
    {
        var json = new JsonObject();
        if (downloadUrl is not null)
        {
            json["@microsoft.graph.downloadUrl"] = downloadUrl;
        }

        var tag = Tag(item);
        json["createdDateTime"] = Time(item.CreatedTime);
        json["eTag"] = $"\"{{{tag}}},{item.Version}\"";
        json["id"] = item.Id;
        json["lastModifiedDateTime"] = Time(item.ModifiedTime);
        json["name"] = item.IsRoot ? "root" : item.Name;
        json["webUrl"] = $"https://onedrive.live.com/?id={Uri.EscapeDataString(item.Id)}";
        json["size"] = item.IsFolder ? files.Subtree(item, skipTrashed: true).Sum(i => i.Size ?? 0) : item.Size ?? 0;
        json["parentReference"] = ParentReference(files, item, withPath);
        json["fileSystemInfo"] = new JsonObject
        {
            ["createdDateTime"] = Time(item.CreatedTime),
            ["lastModifiedDateTime"] = Time(item.ModifiedTime),
        };
        if (item.IsFolder)
        {
            json["folder"] = new JsonObject { ["childCount"] = files.Children(item).Count(c => !c.Trashed) };
        }
        else
        {
            // cTag changes with content only; Personal accounts stopped returning sha1Hash in 2023.
            json["cTag"] = $"\"c:{{{tag}}},{item.Version}\"";
            var file = new JsonObject { ["mimeType"] = item.MimeType };
            if (item.Hashes is { } hashes)
            {
                file["hashes"] = new JsonObject { ["quickXorHash"] = hashes.QuickXor };
            }

            json["file"] = file;
        }

        if (item.IsRoot)
        {
            json["root"] = new JsonObject();
        }

        return json;
    }

    /// <summary>Personal drive ids are lowercase in drive resources even though item ids carry them in uppercase.</summary>
    public static string DriveId(FakeDrive files) => files.DriveId.ToLowerInvariant();

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>What delta reports for a deleted item: Business style, with no name and no path.</summary>
    public static JsonObject Deleted(FakeDrive files, FakeDriveItem item)
    {
        var json = new JsonObject
        {
            ["id"] = item.Id,
            ["deleted"] = new JsonObject { ["state"] = "deleted" },
            ["parentReference"] = new JsonObject { ["driveId"] = DriveId(files), ["driveType"] = "personal", ["id"] = item.ParentId },
        };
        json[item.IsFolder ? "folder" : "file"] = new JsonObject();
        return json;
    }

    private static JsonObject ParentReference(FakeDrive files, FakeDriveItem item, bool withPath)
    {
        var reference = new JsonObject { ["driveId"] = DriveId(files), ["driveType"] = "personal" };
        if (item.ParentId is not null && files.Find(item.ParentId) is { } parent)
        {
            reference["id"] = parent.Id;
            reference["name"] = parent.IsRoot ? "root" : parent.Name;
            // Delta never carries parentReference.path: clients must track items by id.
            if (withPath)
            {
                reference["path"] = "/drive/root:" + files.PathOf(parent);
            }
        }

        return reference;
    }

    private static Guid Tag(FakeDriveItem item) => new(SHA256.HashData(Encoding.UTF8.GetBytes(item.Id)).AsSpan(0, 16));
}
