using Mwap.Api.Features.Integrations.Providers;

namespace Mwap.Api.Features.Integrations.GoogleDrive;

/// <summary>Google Drive v3 (fact sheet §1). Google never returns a new refresh token on refresh; the old one is kept.</summary>
internal sealed class GoogleDriveClient(IHttpClientFactory httpFactory) : CloudStorageClientBase(httpFactory)
{
    public const string Slug = "google-drive";
    public const string DefaultApiBaseUrl = "https://www.googleapis.com";
    private const string FolderMime = "application/vnd.google-apps.folder";
    private const int MaxDepth = 64;
    private static readonly string[] DriveScopes = ["drive", "drive.readonly", "drive.metadata.readonly", "drive.metadata", "drive.file"];

    public override string Kind => Slug;

    protected override IEnumerable<KeyValuePair<string, string>> OfflineParameters(ProviderConfig provider) =>
        [new("access_type", "offline"), new("prompt", "consent")];

    /// <summary>Users can untick scopes on Google's consent screen; without a Drive scope nothing can be indexed.</summary>
    public override bool HasRequiredScopes(IReadOnlyCollection<string> granted) =>
        granted.Any(s => DriveScopes.Any(d => s == d || s.EndsWith("/auth/" + d, StringComparison.Ordinal)));

    public override async Task<bool> RevokeAsync(ProviderConfig provider, string accessToken, string? refreshToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, provider.RevokeUrl ?? "https://oauth2.googleapis.com/revoke")
        {
            // Revoking the refresh token revokes the whole grant.
            Content = new FormUrlEncodedContent([new("token", refreshToken ?? accessToken)]),
        };
        using var response = await OAuthHttp.SendAsync(Http, request, cancellationToken);
        // 400 invalid_token: already revoked, which is what we wanted.
        return response.IsSuccessStatusCode || (int)response.StatusCode == 400;
    }

    public override async Task<ProviderAccount> GetAccountAsync(ProviderConfig provider, string accessToken, CancellationToken cancellationToken)
    {
        using var request = OAuthHttp.Bearer(HttpMethod.Get, Url(provider.ApiBaseUrl, "/drive/v3", "/about?fields=user"), accessToken);
        using var json = await OAuthHttp.SendJsonAsync(Http, request, cancellationToken);
        var user = json.RootElement.TryGetProperty("user", out var u) ? u : default;
        return new ProviderAccount(Str(user, "emailAddress"), Str(user, "displayName"), Str(user, "permissionId"));
    }

    public override async Task<FolderPage> ListFoldersAsync(ProviderConfig provider, string accessToken, FolderQuery query, CancellationToken cancellationToken)
    {
        if (query.Path is { Length: > 1 })
        {
            throw new ProviderException(ProviderErrorKind.NotSupported, 400, "Google Drive folders are addressed by folderId, not by path");
        }

        var parent = string.IsNullOrEmpty(query.FolderId) ? "root" : query.FolderId;
        // Drive's query language: quote and escape the id so no folder id can change the query.
        var q = $"'{parent.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}' in parents and mimeType='{FolderMime}' and trashed=false";
        // Without supportsAllDrives (and includeItemsFromAllDrives) Drive hides shared-drive folders (fact sheet §1.3).
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("q", q), new("fields", "nextPageToken,files(id,name)"), new("pageSize", "100"), new("orderBy", "name"),
            new("supportsAllDrives", "true"), new("includeItemsFromAllDrives", "true"),
        };
        if (!string.IsNullOrEmpty(query.Cursor))
        {
            parameters.Add(new("pageToken", query.Cursor));
        }

        var parentPath = string.IsNullOrEmpty(query.FolderId) ? "" : query.ParentPath ?? await PathOfAsync(provider, accessToken, query.FolderId, cancellationToken);
        using var request = OAuthHttp.Bearer(HttpMethod.Get, OAuthHttp.Query(Url(provider.ApiBaseUrl, "/drive/v3", "/files"), parameters), accessToken);
        using var json = await OAuthHttp.SendJsonAsync(Http, request, cancellationToken);
        var folders = json.RootElement.TryGetProperty("files", out var files)
            ? files.EnumerateArray().Select(f => new FolderEntry(Str(f, "id")!, Str(f, "name") ?? "", $"{parentPath.TrimEnd('/')}/{Str(f, "name")}")).ToList()
            : [];
        return new FolderPage(folders, Str(json.RootElement, "nextPageToken"), SupportsPath: false, SupportsId: true);
    }

    /// <summary>A folder's display path from its parents chain (the account root is "", as in the index).</summary>
    private async Task<string> PathOfAsync(ProviderConfig provider, string accessToken, string folderId, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        var id = folderId;
        for (var depth = 0; depth < MaxDepth && id != "root"; depth++)
        {
            var url = OAuthHttp.Query(Url(provider.ApiBaseUrl, "/drive/v3", $"/files/{Uri.EscapeDataString(id)}"), [new("fields", "id,name,parents"), new("supportsAllDrives", "true")]);
            using var request = OAuthHttp.Bearer(HttpMethod.Get, url, accessToken);
            using var json = await OAuthHttp.SendJsonAsync(Http, request, cancellationToken);
            var parents = json.RootElement.TryGetProperty("parents", out var p) && p.ValueKind == System.Text.Json.JsonValueKind.Array && p.GetArrayLength() > 0
                ? p[0].GetString()
                : null;
            if (parents is null)
            {
                break; // My Drive's root (or a shared drive's) has no parent and is not part of the path.
            }

            names.Insert(0, Str(json.RootElement, "name") ?? "");
            id = parents;
        }

        return names.Count == 0 ? "" : "/" + string.Join('/', names);
    }

}
