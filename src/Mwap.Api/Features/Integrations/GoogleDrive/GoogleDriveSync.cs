using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Mwap.Api.Features.Files.Sync;
using Mwap.Api.Features.Integrations.Providers;

namespace Mwap.Api.Features.Integrations.GoogleDrive;

/// <summary>
/// Drive's listing and change feed (fact sheet §1.3–1.5). The start page token is taken before the walk, so nothing
/// changed during the walk is missed; the walk lists folders breadth-first, up to <see cref="ParentsPerQuery"/>
/// folders per query as rclone does, so memory holds the folder queue, never the files.
/// </summary>
internal sealed partial class GoogleDriveSync(IHttpClientFactory httpFactory) : IFileSyncSource
{
    private const int ParentsPerQuery = 50;
    private const int IncompleteRetries = 2;
    private const string FolderMime = "application/vnd.google-apps.folder";
    private const string ShortcutMime = "application/vnd.google-apps.shortcut";
    private const string FileFields = "id,name,mimeType,parents,size,modifiedTime,md5Checksum,trashed,shortcutDetails";

    public string Kind => GoogleDriveClient.Slug;

    private HttpClient Http => httpFactory.CreateClient(OAuthHttp.ClientName);

    public async IAsyncEnumerable<ChangePage> FullAsync(IProviderCaller caller, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var startToken = await caller.CallAsync(async (config, token) =>
        {
            using var json = await GetAsync(config, token, "/changes/startPageToken", [new("supportsAllDrives", "true")], cancellationToken);
            return Str(json.RootElement, "startPageToken") ?? throw new ProviderException(ProviderErrorKind.BadResponse, 200, "Drive returned no start page token");
        }, cancellationToken);
        var rootId = await caller.CallAsync(async (config, token) =>
        {
            using var json = await GetAsync(config, token, "/files/root", [new("fields", "id"), new("supportsAllDrives", "true")], cancellationToken);
            return Str(json.RootElement, "id") ?? throw new ProviderException(ProviderErrorKind.BadResponse, 200, "Drive returned no root folder id");
        }, cancellationToken);
        yield return new ChangePage([new RemoteChange.Root(rootId)], null, false);

        var folders = new Queue<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { rootId };
        folders.Enqueue(rootId);
        while (folders.Count > 0)
        {
            var batch = new List<string>();
            while (batch.Count < ParentsPerQuery && folders.TryDequeue(out var id))
            {
                batch.Add(id);
            }

            var queries = new Queue<List<string>>();
            queries.Enqueue(batch);
            while (queries.TryDequeue(out var parents))
            {
                var found = 0;
                var split = false;
                await foreach (var (items, incomplete) in QueryAsync(caller, parents, pageSize, cancellationToken))
                {
                    if (incomplete)
                    {
                        split = true;
                        break;
                    }

                    // Shortcut folders are indexed as folders but not walked: they have no children of their own, and
                    // following their targets could loop (rclone does not follow them by default either).
                    foreach (var item in items.Where(i => i.IsFolder && i.ShortcutTargetId is null && seen.Add(i.Id)))
                    {
                        folders.Enqueue(item.Id);
                    }

                    found += items.Count;
                    yield return new ChangePage([.. items.Select(i => new RemoteChange.Upsert(i))], null, false);
                }

                // Drive at times answers an OR of parents with nothing, or with incompleteSearch (Google issue tracker
                // 149522397; rclone #3114, #4289): an empty or partial answer for several parents is asked again one
                // parent at a time, or those folders' subtrees would be missed and then removed as stale.
                if (parents.Count > 1 && (split || found == 0))
                {
                    foreach (var parent in parents)
                    {
                        queries.Enqueue([parent]);
                    }
                }
            }
        }

        yield return new ChangePage([], startToken, true);
    }

    /// <summary>
    /// The children of <paramref name="parents"/>, page by page. A page with <c>incompleteSearch: true</c> is reported
    /// (Incomplete) for several parents, so the caller asks again per parent; for one parent it is retried, and after
    /// <see cref="IncompleteRetries"/> the walk fails, so a full sync never completes (and never removes rows) on a
    /// partial listing.
    /// </summary>
    private async IAsyncEnumerable<(List<RemoteItem> Items, bool Incomplete)> QueryAsync(IProviderCaller caller, List<string> parents, int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var q = (parents.Count == 1 ? $"'{Escape(parents[0])}' in parents" : "(" + string.Join(" or ", parents.Select(id => $"'{Escape(id)}' in parents")) + ")")
            + " and trashed = false";
        string? pageToken = null;
        do
        {
            var attempt = 0;
            while (true)
            {
                var (items, next, incomplete) = await caller.CallAsync(async (config, token) =>
                {
                    var parameters = new List<KeyValuePair<string, string>>
                    {
                        new("q", q), new("fields", $"nextPageToken,incompleteSearch,files({FileFields})"),
                        new("pageSize", pageSize.ToString(CultureInfo.InvariantCulture)),
                        new("supportsAllDrives", "true"), new("includeItemsFromAllDrives", "true"),
                    };
                    if (pageToken is not null)
                    {
                        parameters.Add(new("pageToken", pageToken));
                    }

                    using var json = await GetAsync(config, token, "/files", parameters, cancellationToken);
                    var files = json.RootElement.TryGetProperty("files", out var f) && f.ValueKind == JsonValueKind.Array
                        ? f.EnumerateArray().Select(ToItem).OfType<RemoteItem>().ToList()
                        : [];
                    var partial = json.RootElement.TryGetProperty("incompleteSearch", out var i) && i.ValueKind == JsonValueKind.True;
                    return (files, Str(json.RootElement, "nextPageToken"), partial);
                }, cancellationToken);
                if (!incomplete)
                {
                    yield return (items, false);
                    pageToken = next;
                    break;
                }

                if (parents.Count > 1)
                {
                    yield return ([], true);
                    yield break;
                }

                if (++attempt > IncompleteRetries)
                {
                    throw new ProviderException(ProviderErrorKind.Unavailable, 200, "Drive kept answering incompleteSearch for a folder listing");
                }
            }
        }
        while (pageToken is not null);
    }

    public async IAsyncEnumerable<ChangePage> ChangesAsync(IProviderCaller caller, string cursor, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pageToken = cursor;
        while (true)
        {
            var page = await caller.CallAsync(async (config, token) =>
            {
                JsonDocument json;
                try
                {
                    json = await GetAsync(config, token, "/changes",
                    [
                        new("pageToken", pageToken), new("pageSize", pageSize.ToString(CultureInfo.InvariantCulture)),
                        new("includeRemoved", "true"), new("supportsAllDrives", "true"), new("includeItemsFromAllDrives", "true"),
                        new("fields", $"nextPageToken,newStartPageToken,changes(changeType,removed,fileId,file({FileFields}))"),
                    ], cancellationToken);
                }
                catch (ProviderException e) when (e.Status is 400 or 410)
                {
                    // Drive answers an expired or unknown page token with 400 "Invalid Value" on pageToken.
                    throw new ProviderException(ProviderErrorKind.CursorReset, e.Status, "The Drive page token is no longer valid", e);
                }

                using (json)
                {
                    var changes = new List<RemoteChange>();
                    if (json.RootElement.TryGetProperty("changes", out var list) && list.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var change in list.EnumerateArray())
                        {
                            if (Str(change, "changeType") is { } type && type != "file")
                            {
                                continue;
                            }

                            var fileId = Str(change, "fileId");
                            var removed = change.TryGetProperty("removed", out var r) && r.ValueKind == JsonValueKind.True;
                            var item = !removed && change.TryGetProperty("file", out var file) ? ToItem(file) : null;
                            if (item is not null)
                            {
                                changes.Add(new RemoteChange.Upsert(item));
                            }
                            else if (fileId is not null)
                            {
                                // Removed, trashed, or a file we cannot place: it leaves the index.
                                changes.Add(new RemoteChange.RemoveId(fileId));
                            }
                        }
                    }

                    var next = Str(json.RootElement, "nextPageToken");
                    var newStart = Str(json.RootElement, "newStartPageToken");
                    if (next is null && newStart is null)
                    {
                        throw new ProviderException(ProviderErrorKind.BadResponse, 200, "Drive returned neither nextPageToken nor newStartPageToken");
                    }

                    return new ChangePage(changes, next ?? newStart, next is null);
                }
            }, cancellationToken);
            yield return page;
            if (page.Done)
            {
                yield break;
            }

            pageToken = page.Cursor!;
        }
    }

    /// <summary>A folder's children; a shortcut folder lists its target's children, as seen through the shortcut.</summary>
    public Task<LivePage> ListLiveAsync(IProviderCaller caller, LiveFolder folder, string? pageToken, int pageSize, CancellationToken cancellationToken) =>
        caller.CallAsync(async (config, token) =>
        {
            var listed = folder.Id is { } id ? await ResolveShortcutAsync(config, token, id, cancellationToken) : "root";
            var parameters = new List<KeyValuePair<string, string>>
            {
                new("q", $"'{Escape(listed)}' in parents and trashed = false"),
                new("fields", $"nextPageToken,files({FileFields})"), new("orderBy", "folder,name"),
                new("pageSize", pageSize.ToString(CultureInfo.InvariantCulture)),
                new("supportsAllDrives", "true"), new("includeItemsFromAllDrives", "true"),
            };
            if (!string.IsNullOrEmpty(pageToken))
            {
                parameters.Add(new("pageToken", pageToken));
            }

            using var json = await GetAsync(config, token, "/files", parameters, cancellationToken);
            var files = json.RootElement.TryGetProperty("files", out var f) && f.ValueKind == JsonValueKind.Array
                ? f.EnumerateArray().Select(ToItem).OfType<RemoteItem>()
                    .Select(i => folder.Id is { } asked && listed != asked && i.ParentId == listed ? i with { ParentId = asked } : i).ToList()
                : [];
            return new LivePage(files, Str(json.RootElement, "nextPageToken"));
        }, cancellationToken);

    /// <summary>Drive has no pre-authenticated link usable by a server's client: the server streams the file.</summary>
    public Task<DownloadLink?> GetDownloadLinkAsync(IProviderCaller caller, string fileId, string? path, CancellationToken cancellationToken) =>
        Task.FromResult<DownloadLink?>(null);

    public Task<HttpResponseMessage> OpenContentAsync(IProviderCaller caller, string fileId, CancellationToken cancellationToken) =>
        caller.CallAsync(async (config, token) =>
        {
            var target = await ResolveShortcutAsync(config, token, fileId, cancellationToken);
            var url = OAuthHttp.Query(Url(config, $"/files/{Uri.EscapeDataString(target)}"), [new("alt", "media"), new("supportsAllDrives", "true")]);
            using var request = OAuthHttp.Bearer(HttpMethod.Get, url, token);
            request.Headers.Accept.Clear();
            var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                using (response)
                {
                    throw OAuthHttp.ApiError(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
                }
            }

            return response;
        }, cancellationToken);

    private async Task<JsonDocument> GetAsync(ProviderConfig config, string token, string path, List<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        using var request = OAuthHttp.Bearer(HttpMethod.Get, OAuthHttp.Query(Url(config, path), parameters), token);
        return await OAuthHttp.SendJsonAsync(Http, request, cancellationToken);
    }

    private static string Url(ProviderConfig config, string path)
    {
        var trimmed = config.ApiBaseUrl.TrimEnd('/');
        return (trimmed.EndsWith("/drive/v3", StringComparison.Ordinal) ? trimmed : trimmed + "/drive/v3") + path;
    }

    /// <summary>Drive query literals: backslash-escape <c>\</c> and <c>'</c>.</summary>
    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);

    private static string? Str(JsonElement element, string name) => ProviderJson.String(element, name);
}
