using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Mwap.Bench;

/// <summary>
/// The sync benchmark's baseline: the same listing the full sync reads (same endpoints, page size 1,000, same
/// walk), with a bare <see cref="HttpClient"/> that parses each page only as far as it must to find the next one, and
/// writes nothing. Returns the number of items read (roots excluded).
/// </summary>
internal sealed class SyncBaseline(FakeEndpoints endpoints, string accessToken, string kind) : IDisposable
{
    private const int PageSize = 1000;
    private const int GoogleParentsPerQuery = 50;
    private const string GoogleFields = "id,name,mimeType,parents,size,modifiedTime,md5Checksum,trashed";

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

    public Task<int> ReadAllAsync() => kind switch
    {
        "google" => GoogleAsync(),
        "onedrive" => OneDriveAsync(),
        _ => DropboxAsync(),
    };

    private async Task<int> DropboxAsync()
    {
        var url = endpoints.ApiBaseUrl.TrimEnd('/') + "/2/files/list_folder";
        var body = JsonSerializer.Serialize(new { path = "", recursive = true, include_deleted = false, include_non_downloadable_files = true, limit = PageSize });
        var count = 0;
        while (true)
        {
            using var json = await SendAsync(HttpMethod.Post, url, body);
            count += json.RootElement.GetProperty("entries").GetArrayLength();
            if (!json.RootElement.GetProperty("has_more").GetBoolean())
            {
                return count;
            }

            url = endpoints.ApiBaseUrl.TrimEnd('/') + "/2/files/list_folder/continue";
            body = JsonSerializer.Serialize(new { cursor = json.RootElement.GetProperty("cursor").GetString() });
        }
    }

    private async Task<int> OneDriveAsync()
    {
        string? url = endpoints.ApiBaseUrl.TrimEnd('/') + "/v1.0/me/drive/root/delta?$top=" + PageSize.ToString(CultureInfo.InvariantCulture);
        var count = 0;
        while (url is not null)
        {
            using var json = await SendAsync(HttpMethod.Get, url, null);
            count += json.RootElement.GetProperty("value").EnumerateArray().Count(i => !i.TryGetProperty("root", out _));
            url = json.RootElement.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
        }

        return count;
    }

    /// <summary>As GoogleDriveSync walks: the start page token, the root's id, then folders breadth-first, 50 parents a query.</summary>
    private async Task<int> GoogleAsync()
    {
        var api = endpoints.ApiBaseUrl.TrimEnd('/') + "/drive/v3";
        using (await SendAsync(HttpMethod.Get, api + "/changes/startPageToken?supportsAllDrives=true", null))
        {
        }

        string rootId;
        using (var root = await SendAsync(HttpMethod.Get, api + "/files/root?fields=id&supportsAllDrives=true", null))
        {
            rootId = root.RootElement.GetProperty("id").GetString()!;
        }

        var folders = new Queue<string>([rootId]);
        var count = 0;
        while (folders.Count > 0)
        {
            var batch = new List<string>();
            while (batch.Count < GoogleParentsPerQuery && folders.TryDequeue(out var id))
            {
                batch.Add(id);
            }

            var q = "(" + string.Join(" or ", batch.Select(id => $"'{id}' in parents")) + ") and trashed = false";
            string? pageToken = null;
            do
            {
                var url = new StringBuilder(api).Append("/files?q=").Append(Uri.EscapeDataString(q))
                    .Append("&fields=").Append(Uri.EscapeDataString($"nextPageToken,incompleteSearch,files({GoogleFields})"))
                    .Append("&pageSize=").Append(PageSize).Append("&supportsAllDrives=true&includeItemsFromAllDrives=true");
                if (pageToken is not null)
                {
                    url.Append("&pageToken=").Append(Uri.EscapeDataString(pageToken));
                }

                using var json = await SendAsync(HttpMethod.Get, url.ToString(), null);
                foreach (var file in json.RootElement.GetProperty("files").EnumerateArray())
                {
                    count++;
                    if (file.GetProperty("mimeType").GetString() == "application/vnd.google-apps.folder")
                    {
                        folders.Enqueue(file.GetProperty("id").GetString()!);
                    }
                }

                pageToken = json.RootElement.TryGetProperty("nextPageToken", out var next) ? next.GetString() : null;
            }
            while (pageToken is not null);
        }

        return count;
    }

    private async Task<JsonDocument> SendAsync(HttpMethod method, string url, string? jsonBody)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchmarkFailedException($"baseline {method} {url}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await using var stream = await response.Content.ReadAsStreamAsync();
        return await JsonDocument.ParseAsync(stream);
    }

    public void Dispose() => _http.Dispose();
}
