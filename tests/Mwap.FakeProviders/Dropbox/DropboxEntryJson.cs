using System.Globalization;
using System.Text.Json.Nodes;
using Mwap.FakeProviders.Drive;

namespace Mwap.FakeProviders.Dropbox;

/// <summary>Dropbox Metadata unions: <c>.tag</c> file or folder, path_lower as the key, timestamps without fractions.</summary>
internal static class DropboxEntryJson
{
    /// <summary>The item's metadata, its path relative to the call's namespace (<paramref name="prefix"/> removed).</summary>
    public static JsonObject Entry(FakeDrive files, FakeDriveItem item, bool withTag = true, string prefix = "")
    {
        var absolute = files.PathOf(item);
        var path = prefix.Length > 0 && absolute.Length > prefix.Length ? absolute[prefix.Length..] : absolute;
        var json = new JsonObject();
        if (withTag)
        {
            json[".tag"] = item.IsFolder ? "folder" : "file";
        }

        json["name"] = item.Name;
        json["path_lower"] = path.ToLowerInvariant();
        json["path_display"] = path;
        json["id"] = item.Id;
        if (item.IsFolder)
        {
            return json;
        }

        json["client_modified"] = Time(item.ModifiedTime);
        json["server_modified"] = Time(item.ModifiedTime);
        json["rev"] = item.Version.ToString("x12", CultureInfo.InvariantCulture);
        json["size"] = item.Size ?? 0;
        // Like Paper docs, a file without downloadable bytes must be exported instead.
        json["is_downloadable"] = item.Content is not null;
        if (item.Hashes is { } hashes)
        {
            json["content_hash"] = hashes.DropboxContentHash;
        }

        return json;
    }

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
