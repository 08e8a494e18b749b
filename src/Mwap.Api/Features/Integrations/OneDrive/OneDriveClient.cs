using Mwap.Api.Features.Integrations.Providers;

namespace Mwap.Api.Features.Integrations.OneDrive;

/// <summary>
/// Microsoft Graph / OneDrive (fact sheet §3). Every refresh returns a new refresh token, which must replace the old
/// one atomically; refresh requests repeat the scopes. There is no per-app revocation endpoint.
/// </summary>
internal sealed class OneDriveClient(IHttpClientFactory httpFactory) : CloudStorageClientBase(httpFactory)
{
    public const string Slug = "onedrive";
    public const string DefaultApiBaseUrl = "https://graph.microsoft.com";

    public override string Kind => Slug;

    // offline_access is Microsoft's switch for refresh tokens; make sure it is requested whatever the record lists.
    protected override IEnumerable<KeyValuePair<string, string>> OfflineParameters(ProviderConfig provider) => [];

    protected override IReadOnlyList<string> Scopes(ProviderConfig provider) =>
        provider.Provider.Scopes.Contains("offline_access") ? provider.Provider.Scopes : [.. provider.Provider.Scopes, "offline_access"];

    protected override List<KeyValuePair<string, string>> RefreshForm(ProviderConfig provider, string refreshToken)
    {
        var form = base.RefreshForm(provider, refreshToken);
        form.Add(new("scope", string.Join(' ', Scopes(provider))));
        return form;
    }

    public override Task<bool> RevokeAsync(ProviderConfig provider, string accessToken, string? refreshToken, CancellationToken cancellationToken) =>
        Task.FromResult(false);

    public override async Task<ProviderAccount> GetAccountAsync(ProviderConfig provider, string accessToken, CancellationToken cancellationToken)
    {
        using var request = OAuthHttp.Bearer(HttpMethod.Get, Url(provider.ApiBaseUrl, "/v1.0", "/me"), accessToken);
        using var json = await OAuthHttp.SendJsonAsync(Http, request, cancellationToken);
        var root = json.RootElement;
        // mail is often null for personal accounts; userPrincipalName is the fallback.
        return new ProviderAccount(Str(root, "mail") ?? Str(root, "userPrincipalName"), Str(root, "displayName"), Str(root, "id"));
    }

    public override async Task<FolderPage> ListFoldersAsync(ProviderConfig provider, string accessToken, FolderQuery query, CancellationToken cancellationToken)
    {
        string url;
        if (!string.IsNullOrEmpty(query.Cursor))
        {
            // Graph's nextLink is absolute; only follow it on the provider's own host.
            var baseUri = new Uri(provider.ApiBaseUrl);
            if (!Uri.TryCreate(query.Cursor, UriKind.Absolute, out var next) || next.Host != baseUri.Host || next.Port != baseUri.Port)
            {
                throw new ProviderException(ProviderErrorKind.NotSupported, 400, "Invalid cursor");
            }

            url = query.Cursor;
        }
        else
        {
            var item = !string.IsNullOrEmpty(query.FolderId) ? $"/me/drive/items/{Uri.EscapeDataString(query.FolderId)}"
                : string.IsNullOrEmpty(query.Path) || query.Path == "/" ? "/me/drive/root"
                : $"/me/drive/root:{string.Join('/', query.Path.Split('/').Select(Uri.EscapeDataString))}:";
            url = Url(provider.ApiBaseUrl, "/v1.0", item + "/children?$top=200&$select=id,name,folder,parentReference");
        }

        using var request = OAuthHttp.Bearer(HttpMethod.Get, url, accessToken);
        using var json = await OAuthHttp.SendJsonAsync(Http, request, cancellationToken);
        var root = json.RootElement;
        var parentPath = !string.IsNullOrEmpty(query.FolderId)
            ? (query.ParentPath ?? await PathOfAsync(provider, accessToken, query.FolderId, cancellationToken)).TrimEnd('/')
            : string.IsNullOrEmpty(query.Path) ? "" : query.Path.TrimEnd('/');
        var folders = root.TryGetProperty("value", out var value)
            ? value.EnumerateArray().Where(e => e.TryGetProperty("folder", out _))
                .Select(e => new FolderEntry(Str(e, "id")!, Str(e, "name") ?? "", $"{parentPath}/{Str(e, "name")}")).ToList()
            : [];
        return new FolderPage(folders, Str(root, "@odata.nextLink"), SupportsPath: true, SupportsId: true);
    }

    /// <summary>A folder's display path from its <c>parentReference.id</c> chain up to the item with the <c>root</c> facet.</summary>
    private async Task<string> PathOfAsync(ProviderConfig provider, string accessToken, string folderId, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        var id = folderId;
        for (var depth = 0; depth < 64 && id is not null; depth++)
        {
            var url = Url(provider.ApiBaseUrl, "/v1.0", $"/me/drive/items/{Uri.EscapeDataString(id)}?$select=id,name,parentReference,root");
            using var request = OAuthHttp.Bearer(HttpMethod.Get, url, accessToken);
            using var json = await OAuthHttp.SendJsonAsync(Http, request, cancellationToken);
            if (json.RootElement.TryGetProperty("root", out _))
            {
                break;
            }

            names.Insert(0, Str(json.RootElement, "name") ?? "");
            id = json.RootElement.TryGetProperty("parentReference", out var parent) ? Str(parent, "id") : null;
        }

        return names.Count == 0 ? "" : "/" + string.Join('/', names);
    }

}
