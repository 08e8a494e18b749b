using System.Globalization;
using System.Text.Json;
using Mwap.Api.Features.Files.Sync;
using Mwap.Api.Features.Integrations.Providers;

namespace Mwap.Api.Features.Integrations.GoogleDrive;

/// <summary>Drive file resources as index items, and shortcuts resolved to their targets.</summary>
internal sealed partial class GoogleDriveSync
{
    /// <summary>
    /// The id to read content or children from: a shortcut's target, else the item itself. Drive refuses
    /// <c>alt=media</c> and export on a shortcut, and a shortcut has no children of its own.
    /// </summary>
    private async Task<string> ResolveShortcutAsync(ProviderConfig config, string token, string fileId, CancellationToken cancellationToken)
    {
        using var json = await GetAsync(config, token, $"/files/{Uri.EscapeDataString(fileId)}",
            [new("fields", "id,mimeType,shortcutDetails"), new("supportsAllDrives", "true")], cancellationToken);
        return Str(json.RootElement, "mimeType") == ShortcutMime && json.RootElement.TryGetProperty("shortcutDetails", out var details)
            && details.ValueKind == JsonValueKind.Object && Str(details, "targetId") is { Length: > 0 } targetId
                ? targetId
                : fileId;
    }

    private static RemoteItem? ToItem(JsonElement file)
    {
        var id = Str(file, "id");
        if (id is null || file.TryGetProperty("trashed", out var trashed) && trashed.ValueKind == JsonValueKind.True)
        {
            return null;
        }

        var mime = Str(file, "mimeType") ?? "application/octet-stream";
        var parent = file.TryGetProperty("parents", out var parents) && parents.ValueKind == JsonValueKind.Array && parents.GetArrayLength() > 0
            ? parents[0].GetString()
            : null;
        // Drive sends int64 values as strings.
        long? size = Str(file, "size") is { } s && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var modified = ProviderJson.Time(Str(file, "modifiedTime"));
        if (mime == ShortcutMime && file.TryGetProperty("shortcutDetails", out var details) && details.ValueKind == JsonValueKind.Object
            && Str(details, "targetId") is { } targetId)
        {
            // A shortcut lists as its target: a folder, or a file of the target's type (its own size is unknown). The
            // targetMimeType was copied when the shortcut was made and can be stale
            // (https://developers.google.com/drive/api/guides/shortcuts); downloads resolve the target afresh.
            var targetMime = Str(details, "targetMimeType") ?? "application/octet-stream";
            var isFolder = targetMime == FolderMime;
            return new RemoteItem(id, Str(file, "name") ?? "", parent, null, isFolder, targetMime, null, modified, null, targetId);
        }

        return new RemoteItem(id, Str(file, "name") ?? "", parent, null, mime == FolderMime, mime, size, modified, Str(file, "md5Checksum"));
    }
}
