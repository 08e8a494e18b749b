using System.Runtime.CompilerServices;
using Mwap.Api.Features.Files.Sync;
using Mwap.Api.Features.Integrations.Providers;

namespace Mwap.Api.Features.Integrations.Dropbox;

internal sealed partial class DropboxSync
{
    /// <summary>
    /// The full listing without <c>recursive</c>, used after a recursive <c>list_folder</c> timed out. Dropbox may still be
    /// running that call, and "RateLimitError may be returned if multiple list_folder or list_folder/continue calls with
    /// same parameters are made simultaneously by same API app for same user"
    /// (https://www.dropbox.com/developers/documentation/http/documentation#files-list_folder), so repeating it at once
    /// only buys a 429. rclone does not list recursively at all.
    /// Each folder is listed on its own (by id, so a rename during the walk does not lose it), parents before children.
    /// The change cursor is taken first (<c>get_latest_cursor</c>, recursive, at the root): changes made during the walk
    /// come again with the next <c>continue</c>, and applying them twice is harmless.
    /// </summary>
    private async IAsyncEnumerable<ChangePage> WalkAsync(IProviderCaller caller, int limit, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = await caller.CallAsync(async (config, token) =>
        {
            using var json = await PostAsync(config, token, "/files/list_folder/get_latest_cursor",
                new { path = "", recursive = true, include_deleted = false, include_non_downloadable_files = true }, cancellationToken);
            return Str(json.RootElement, "cursor") ?? throw new ProviderException(ProviderErrorKind.BadResponse, 200, "Dropbox returned no cursor");
        }, cancellationToken);

        var folders = new Queue<string>([""]);
        while (folders.TryDequeue(out var folder))
        {
            var (endpoint, body) = ("/files/list_folder", (object)new { path = folder, recursive = false, include_deleted = false, include_non_downloadable_files = true, limit });
            while (true)
            {
                var page = await FolderPageAsync(caller, endpoint, body, cancellationToken);
                if (page is null)
                {
                    break; // the folder went away during the walk; the cursor reports its deletion
                }

                foreach (var change in page.Changes)
                {
                    if (change is RemoteChange.Upsert { Item.IsFolder: true } upsert)
                    {
                        folders.Enqueue(upsert.Item.Id);
                    }
                }

                yield return page with { Cursor = cursor, Done = false };
                if (page.Done)
                {
                    break;
                }

                (endpoint, body) = ("/files/list_folder/continue", new { cursor = page.Cursor });
            }
        }

        yield return new ChangePage([], cursor, Done: true);
    }

    private async Task<ChangePage?> FolderPageAsync(IProviderCaller caller, string endpoint, object body, CancellationToken cancellationToken)
    {
        try
        {
            return await caller.CallAsync((config, token) => PageAsync(config, token, endpoint, body, cancellationToken), cancellationToken);
        }
        catch (ProviderException e) when (e.Kind == ProviderErrorKind.NotFound)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropbox recursive listing timed out; not repeated while Dropbox may still run it: walking folder by folder")]
    private static partial void LogRecursiveTimeout(ILogger logger);
}
