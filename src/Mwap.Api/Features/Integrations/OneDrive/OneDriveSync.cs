using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Mwap.Api.Features.Files.Sync;
using Mwap.Api.Features.Integrations.Providers;

namespace Mwap.Api.Features.Integrations.OneDrive;

/// <summary>
/// Graph's delta feed (fact sheet §3.3–3.5): Microsoft recommends delta, not a children walk, for a complete mirror.
/// Items come in their latest state, may repeat (the last wins) and carry no path, so the index tracks them by id and
/// derives paths from <c>parentReference.id</c>.
/// </summary>
internal sealed class OneDriveSync(IHttpClientFactory httpFactory) : IFileSyncSource
{
    private const string FolderMime = "folder";
    private static readonly TimeSpan DownloadUrlLifetime = TimeSpan.FromHours(1);

    public string Kind => OneDriveClient.Slug;

    private HttpClient Http => httpFactory.CreateClient(OAuthHttp.ClientName);

    public async IAsyncEnumerable<ChangePage> FullAsync(IProviderCaller caller, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rootId = await caller.CallAsync(async (config, token) =>
        {
            using var json = await GetAsync(config, token, Url(config, "/me/drive/root"), cancellationToken);
            return Str(json.RootElement, "id") ?? throw new ProviderException(ProviderErrorKind.BadResponse, 200, "Graph returned no root item id");
        }, cancellationToken);
        yield return new ChangePage([new RemoteChange.Root(rootId)], null, false);
        await foreach (var page in PagesAsync(caller, null, cancellationToken))
        {
            yield return page;
        }
    }

    public IAsyncEnumerable<ChangePage> ChangesAsync(IProviderCaller caller, string cursor, int pageSize, CancellationToken cancellationToken) =>
        PagesAsync(caller, cursor, cancellationToken);

    public Task<LivePage> ListLiveAsync(IProviderCaller caller, LiveFolder folder, string? pageToken, int pageSize, CancellationToken cancellationToken) =>
        caller.CallAsync(async (config, token) =>
        {
            string url;
            if (!string.IsNullOrEmpty(pageToken))
            {
                url = CheckLink(config, pageToken);
            }
            else
            {
                var item = folder.Id is not null ? $"/me/drive/items/{Uri.EscapeDataString(folder.Id)}"
                    : folder.Path is "" or "/" ? "/me/drive/root"
                    : $"/me/drive/root:{string.Join('/', folder.Path.Split('/').Select(Uri.EscapeDataString))}:";
                url = Url(config, item + "/children?$top=" + Math.Clamp(pageSize, 1, 1000).ToString(CultureInfo.InvariantCulture));
            }

            using var json = await GetAsync(config, token, url, cancellationToken);
            var items = Items(json.RootElement).OfType<RemoteChange.Upsert>().Select(u => u.Item).ToList();
            return new LivePage(items, Str(json.RootElement, "@odata.nextLink"));
        }, cancellationToken);

    public Task<DownloadLink?> GetDownloadLinkAsync(IProviderCaller caller, string fileId, string? path, CancellationToken cancellationToken) =>
        caller.CallAsync<DownloadLink?>(async (config, token) =>
        {
            using var json = await GetAsync(config, token, Url(config, $"/me/drive/items/{Uri.EscapeDataString(fileId)}"), cancellationToken);
            var link = Str(json.RootElement, "@microsoft.graph.downloadUrl")
                ?? throw new ProviderException(ProviderErrorKind.NotSupported, 400, "The item has no download URL");
            return new DownloadLink(link, DateTime.UtcNow.Add(DownloadUrlLifetime));
        }, cancellationToken);

    public Task<HttpResponseMessage> OpenContentAsync(IProviderCaller caller, string fileId, CancellationToken cancellationToken) =>
        throw new ProviderException(ProviderErrorKind.NotSupported, 400, "OneDrive files are downloaded through their pre-authenticated URL");

    /// <summary>
    /// Follows next links until the delta link. No <c>$top</c>: on personal accounts a delta request with <c>$top</c>
    /// has been seen to answer the same nextLink forever (OneDrive/onedrive-api-docs#1424), so the server picks the page
    /// size; and a nextLink that comes back twice stops the sync with an error instead of looping.
    /// </summary>
    private async IAsyncEnumerable<ChangePage> PagesAsync(IProviderCaller caller, string? link, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = link;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var page = await caller.CallAsync(async (config, token) =>
            {
                var url = next is null ? Url(config, "/me/drive/root/delta") : CheckLink(config, next);
                using var json = await GetAsync(config, token, url, cancellationToken);
                var nextLink = Str(json.RootElement, "@odata.nextLink");
                var deltaLink = Str(json.RootElement, "@odata.deltaLink");
                if (nextLink is null && deltaLink is null)
                {
                    throw new ProviderException(ProviderErrorKind.BadResponse, 200, "Graph returned neither nextLink nor deltaLink");
                }

                return new ChangePage(Items(json.RootElement), nextLink ?? deltaLink, nextLink is null);
            }, cancellationToken);
            yield return page;
            if (page.Done)
            {
                yield break;
            }

            if (!seen.Add(page.Cursor!))
            {
                throw new ProviderException(ProviderErrorKind.BadResponse, 200, "Graph repeated a delta nextLink; stopping instead of looping");
            }

            next = page.Cursor;
        }
    }

    private async Task<JsonDocument> GetAsync(ProviderConfig config, string token, string url, CancellationToken cancellationToken)
    {
        using var request = OAuthHttp.Bearer(HttpMethod.Get, url, token);
        return await OAuthHttp.SendJsonAsync(Http, request, cancellationToken);
    }

    private static string Url(ProviderConfig config, string path)
    {
        var trimmed = config.ApiBaseUrl.TrimEnd('/');
        return (trimmed.EndsWith("/v1.0", StringComparison.Ordinal) ? trimmed : trimmed + "/v1.0") + path;
    }

    /// <summary>next/delta links are absolute: follow them verbatim, but only on the provider's own host (the token goes with them).</summary>
    private static string CheckLink(ProviderConfig config, string link)
    {
        var baseUri = new Uri(config.ApiBaseUrl);
        return Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Host == baseUri.Host && uri.Port == baseUri.Port && uri.Scheme == baseUri.Scheme
            ? link
            : throw new ProviderException(ProviderErrorKind.CursorReset, null, "The stored Graph link does not point at the provider; resyncing");
    }

    private static List<RemoteChange> Items(JsonElement root)
    {
        var changes = new List<RemoteChange>();
        if (!root.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return changes;
        }

        foreach (var item in value.EnumerateArray())
        {
            var id = Str(item, "id");
            if (id is null)
            {
                continue;
            }

            if (item.TryGetProperty("deleted", out _))
            {
                changes.Add(new RemoteChange.RemoveId(id));
                continue;
            }

            if (item.TryGetProperty("root", out _))
            {
                changes.Add(new RemoteChange.Root(id));
                continue;
            }

            var name = Str(item, "name");
            var parent = item.TryGetProperty("parentReference", out var p) ? Str(p, "id") : null;
            if (name is null)
            {
                continue;
            }

            var isFolder = item.TryGetProperty("folder", out _);
            var file = item.TryGetProperty("file", out var f) ? f : default;
            var mime = isFolder ? FolderMime : Str(file, "mimeType") ?? MimeTypeMap.ForName(name);
            long? size = !isFolder && item.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null;
            var modifiedText = (item.TryGetProperty("fileSystemInfo", out var fsi) ? Str(fsi, "lastModifiedDateTime") : null) ?? Str(item, "lastModifiedDateTime");
            var modified = ProviderJson.Time(modifiedText);
            var hash = file.ValueKind == JsonValueKind.Object && file.TryGetProperty("hashes", out var h) ? Str(h, "quickXorHash") : null;
            changes.Add(new RemoteChange.Upsert(new RemoteItem(id, name, parent, null, isFolder, mime, size, modified, hash)));
        }

        return changes;
    }

    private static string? Str(JsonElement element, string name) => ProviderJson.String(element, name);
}
