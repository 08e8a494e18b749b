using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Mwap.Api.Features.Files.Sync;
using Mwap.Api.Features.Integrations.Providers;

namespace Mwap.Api.Features.Integrations.Dropbox;

/// <summary>
/// Dropbox's recursive listing and cursor feed (fact sheet §2.3–2.5). The final cursor of the full listing is the
/// incremental cursor. Entries are applied in order with Dropbox's rules: a <c>deleted</c> entry removes the path and
/// everything below it; moves arrive as a delete of the old path plus entries at the new one.
/// </summary>
internal sealed partial class DropboxSync(IHttpClientFactory httpFactory, ILogger<DropboxSync> logger) : IFileSyncSource
{
    private const string FolderMime = "folder";
    private static readonly TimeSpan TemporaryLinkLifetime = TimeSpan.FromHours(4);

    public string Kind => DropboxClient.Slug;

    private HttpClient Http => httpFactory.CreateClient(OAuthHttp.ClientName);

    /// <summary>
    /// One recursive listing from the root; its last cursor is the incremental cursor. If that call times out it is not
    /// repeated (see <see cref="WalkAsync"/>): the tree is walked folder by folder instead.
    /// </summary>
    public async IAsyncEnumerable<ChangePage> FullAsync(IProviderCaller caller, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(pageSize, 1, 2000);
        var args = new { path = "", recursive = true, include_deleted = false, include_non_downloadable_files = true, limit };
        ChangePage? first = null;
        try
        {
            first = await caller.CallAsync((config, token) => PageAsync(config, token, "/files/list_folder", args, cancellationToken, noRetryOnTimeout: true), cancellationToken);
        }
        catch (ProviderException e) when (OAuthHttp.IsTimeout(e) && !cancellationToken.IsCancellationRequested)
        {
            LogRecursiveTimeout(logger);
        }

        if (first is null)
        {
            await foreach (var page in WalkAsync(caller, limit, cancellationToken))
            {
                yield return page;
            }

            yield break;
        }

        yield return first;
        if (!first.Done)
        {
            await foreach (var page in PagesAsync(caller, "/files/list_folder/continue", new { cursor = first.Cursor }, cancellationToken))
            {
                yield return page;
            }
        }
    }

    public IAsyncEnumerable<ChangePage> ChangesAsync(IProviderCaller caller, string cursor, int pageSize, CancellationToken cancellationToken) =>
        PagesAsync(caller, "/files/list_folder/continue", new { cursor }, cancellationToken);

    public Task<LivePage> ListLiveAsync(IProviderCaller caller, LiveFolder folder, string? pageToken, int pageSize, CancellationToken cancellationToken) =>
        caller.CallAsync(async (config, token) =>
        {
            var path = folder.Path is "" or "/" ? "" : folder.Path;
            var (endpoint, body) = string.IsNullOrEmpty(pageToken)
                ? ("/files/list_folder", (object)new { path, recursive = false, include_deleted = false, include_non_downloadable_files = true, limit = Math.Clamp(pageSize, 1, 2000) })
                : ("/files/list_folder/continue", new { cursor = pageToken });
            using var json = await PostAsync(config, token, endpoint, body, cancellationToken);
            var items = Entries(json.RootElement).OfType<RemoteChange.Upsert>().Select(u => u.Item).ToList();
            var hasMore = json.RootElement.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True;
            return new LivePage(items, hasMore ? Str(json.RootElement, "cursor") : null);
        }, cancellationToken);

    public Task<DownloadLink?> GetDownloadLinkAsync(IProviderCaller caller, string fileId, string? path, CancellationToken cancellationToken) =>
        caller.CallAsync<DownloadLink?>(async (config, token) =>
        {
            using var json = await PostAsync(config, token, "/files/get_temporary_link", new { path = fileId }, cancellationToken);
            var link = Str(json.RootElement, "link") ?? throw new ProviderException(ProviderErrorKind.BadResponse, 200, "Dropbox returned no link");
            return new DownloadLink(link, DateTime.UtcNow.Add(TemporaryLinkLifetime));
        }, cancellationToken);

    public Task<HttpResponseMessage> OpenContentAsync(IProviderCaller caller, string fileId, CancellationToken cancellationToken) =>
        caller.CallAsync(async (config, token) =>
        {
            var baseUrl = config.ContentBaseUrl ?? "https://content.dropboxapi.com";
            using var request = OAuthHttp.Bearer(HttpMethod.Post, baseUrl.TrimEnd('/') + (baseUrl.TrimEnd('/').EndsWith("/2", StringComparison.Ordinal) ? "" : "/2") + "/files/download", token);
            request.Headers.Accept.Clear();
            request.Headers.TryAddWithoutValidation("Dropbox-API-Arg", JsonSerializer.Serialize(new { path = fileId }));
            DropboxClient.AddPathRoot(request, config);
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

    private async IAsyncEnumerable<ChangePage> PagesAsync(IProviderCaller caller, string firstEndpoint, object firstBody, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (endpoint, body) = (firstEndpoint, firstBody);
        while (true)
        {
            var page = await caller.CallAsync((config, token) => PageAsync(config, token, endpoint, body, cancellationToken), cancellationToken);
            yield return page;
            if (page.Done)
            {
                yield break;
            }

            (endpoint, body) = ("/files/list_folder/continue", new { cursor = page.Cursor });
        }
    }

    /// <summary>One list_folder or continue page; Done when Dropbox says there is no more.</summary>
    private async Task<ChangePage> PageAsync(ProviderConfig config, string token, string endpoint, object body, CancellationToken cancellationToken, bool noRetryOnTimeout = false)
    {
        using var json = await PostAsync(config, token, endpoint, body, cancellationToken, noRetryOnTimeout);
        var cursor = Str(json.RootElement, "cursor") ?? throw new ProviderException(ProviderErrorKind.BadResponse, 200, "Dropbox returned no cursor");
        var hasMore = json.RootElement.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True;
        return new ChangePage(Entries(json.RootElement), cursor, !hasMore);
    }

    private async Task<JsonDocument> PostAsync(ProviderConfig config, string token, string endpoint, object body, CancellationToken cancellationToken, bool noRetryOnTimeout = false)
    {
        var baseUrl = config.ApiBaseUrl.TrimEnd('/');
        var url = (baseUrl.EndsWith("/2", StringComparison.Ordinal) ? baseUrl : baseUrl + "/2") + endpoint;
        using var request = OAuthHttp.Bearer(HttpMethod.Post, url, token, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        request.Options.Set(OAuthHttp.NoRetryOnTimeout, noRetryOnTimeout);
        DropboxClient.AddPathRoot(request, config);
        return await OAuthHttp.SendJsonAsync(Http, request, cancellationToken);
    }

    private static List<RemoteChange> Entries(JsonElement root)
    {
        var changes = new List<RemoteChange>();
        if (!root.TryGetProperty("entries", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            return changes;
        }

        foreach (var entry in entries.EnumerateArray())
        {
            var tag = Str(entry, ".tag");
            var pathLower = Str(entry, "path_lower");
            if (tag == "deleted")
            {
                if (pathLower is not null)
                {
                    changes.Add(new RemoteChange.RemovePath(pathLower));
                }

                continue;
            }

            var id = Str(entry, "id");
            var name = Str(entry, "name");
            if (tag is not ("file" or "folder") || id is null || name is null || pathLower is null)
            {
                continue;
            }

            // path_display is reliably cased only in its last component; rebuild that from name.
            var display = Str(entry, "path_display") ?? pathLower;
            var slash = display.LastIndexOf('/');
            var path = (slash >= 0 ? display[..slash] : "") + "/" + name;
            var isFolder = tag == "folder";
            long? size = !isFolder && entry.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null;
            var modified = ProviderJson.Time(Str(entry, "server_modified"));
            changes.Add(new RemoteChange.Upsert(new RemoteItem(id, name, null, path, isFolder,
                isFolder ? FolderMime : MimeTypeMap.ForName(name), size, modified, Str(entry, "content_hash"))));
        }

        return changes;
    }

    private static string? Str(JsonElement element, string name) => ProviderJson.String(element, name);
}
