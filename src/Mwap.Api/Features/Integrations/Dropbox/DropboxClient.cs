using System.Text;
using System.Text.Json;
using Mwap.Api.Features.Integrations.Providers;

namespace Mwap.Api.Features.Integrations.Dropbox;

/// <summary>Dropbox API v2 (fact sheet §2): RPC-style POSTs with JSON bodies; refresh tokens do not rotate.</summary>
internal sealed class DropboxClient(IHttpClientFactory httpFactory) : CloudStorageClientBase(httpFactory)
{
    public const string Slug = "dropbox";
    public const string DefaultApiBaseUrl = "https://api.dropboxapi.com";

    public override string Kind => Slug;

    protected override IEnumerable<KeyValuePair<string, string>> OfflineParameters(ProviderConfig provider) => [new("token_access_type", "offline")];

    public override async Task<bool> RevokeAsync(ProviderConfig provider, string accessToken, string? refreshToken, CancellationToken cancellationToken)
    {
        // Bearer, no body: disables the access token, its refresh token and every token minted from it.
        using var request = OAuthHttp.Bearer(HttpMethod.Post, Url(provider.ApiBaseUrl, "/2", "/auth/token/revoke"), accessToken);
        using var response = await OAuthHttp.SendAsync(Http, request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return true;
        }

        // A 401 (expired_access_token) revoked nothing: the refresh token stays alive at Dropbox. The caller refreshes
        // and revokes again with the new access token.
        throw OAuthHttp.ApiError(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public override async Task<ProviderAccount> GetAccountAsync(ProviderConfig provider, string accessToken, CancellationToken cancellationToken)
    {
        // No argument: send no body and no Content-Type.
        using var request = OAuthHttp.Bearer(HttpMethod.Post, Url(provider.ApiBaseUrl, "/2", "/users/get_current_account"), accessToken);
        using var json = await OAuthHttp.SendJsonAsync(Http, request, cancellationToken);
        var root = json.RootElement;
        var name = root.TryGetProperty("name", out var n) && n.TryGetProperty("display_name", out var d) ? d.GetString() : null;
        return new ProviderAccount(Str(root, "email"), name, Str(root, "account_id"), TeamRoot(root));
    }

    /// <summary>
    /// <c>root_info</c>: in a team space the root namespace (team folders, with the member's home folder inside) differs
    /// from the home namespace that calls see by default. The tag is no guide: accounts in Dropbox's updated team spaces
    /// answer <c>.tag: "user"</c> with distinct ids (https://dropbox.tech/developers/api-updates-to-better-support-team-spaces),
    /// so the two ids are compared.
    /// </summary>
    private static string? TeamRoot(System.Text.Json.JsonElement account) =>
        account.TryGetProperty("root_info", out var info) && info.ValueKind == System.Text.Json.JsonValueKind.Object
        && Str(info, "root_namespace_id") is { Length: > 0 } rootId && Str(info, "home_namespace_id") is { } homeId && rootId != homeId
            ? rootId
            : null;

    /// <summary>
    /// Makes a file call's paths relative to the team root instead of the home namespace
    /// (<c>Dropbox-API-Path-Root: {".tag":"root","root":"&lt;root_namespace_id&gt;"}</c>,
    /// https://developers.dropbox.com/dbx-team-files-guide). A stale id is answered 422 <c>invalid_root</c>.
    /// </summary>
    public static void AddPathRoot(HttpRequestMessage request, ProviderConfig config)
    {
        if (config.PathRoot is { } root)
        {
            request.Headers.TryAddWithoutValidation("Dropbox-API-Path-Root", JsonSerializer.Serialize(new Dictionary<string, string> { [".tag"] = "root", ["root"] = root }));
        }
    }

    public override async Task<FolderPage> ListFoldersAsync(ProviderConfig provider, string accessToken, FolderQuery query, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(query.FolderId))
        {
            throw new ProviderException(ProviderErrorKind.NotSupported, 400, "Dropbox folders are addressed by path, not by folderId");
        }

        var path = string.IsNullOrEmpty(query.Path) || query.Path == "/" ? "" : query.Path;
        var (endpoint, body) = string.IsNullOrEmpty(query.Cursor)
            ? ("/files/list_folder", JsonSerializer.Serialize(new { path, recursive = false, include_deleted = false, include_non_downloadable_files = true, limit = 200 }))
            : ("/files/list_folder/continue", JsonSerializer.Serialize(new { cursor = query.Cursor }));
        using var request = OAuthHttp.Bearer(HttpMethod.Post, Url(provider.ApiBaseUrl, "/2", endpoint), accessToken,
            new StringContent(body, Encoding.UTF8, "application/json"));
        AddPathRoot(request, provider);
        using var json = await OAuthHttp.SendJsonAsync(Http, request, cancellationToken);
        var root = json.RootElement;
        var folders = root.TryGetProperty("entries", out var entries)
            ? entries.EnumerateArray()
                .Where(e => Str(e, ".tag") == "folder")
                .Select(e => new FolderEntry(Str(e, "id") ?? Str(e, "path_lower")!, Str(e, "name") ?? "", Str(e, "path_display") ?? $"{path}/{Str(e, "name")}"))
                .ToList()
            : [];
        var hasMore = root.TryGetProperty("has_more", out var more) && more.GetBoolean();
        return new FolderPage(folders, hasMore ? Str(root, "cursor") : null, SupportsPath: true, SupportsId: false);
    }

}
