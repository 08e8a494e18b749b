namespace Mwap.Api.Features.Integrations.Providers;

/// <summary>What the three clients share: the authorization URL with PKCE, and the two token grants.</summary>
internal abstract class CloudStorageClientBase(IHttpClientFactory httpFactory) : ICloudStorageClient
{
    public abstract string Kind { get; }

    protected HttpClient Http => httpFactory.CreateClient(OAuthHttp.ClientName);

    /// <summary>Each provider's "give me a refresh token" switch (fact sheet §0).</summary>
    protected abstract IEnumerable<KeyValuePair<string, string>> OfflineParameters(ProviderConfig provider);

    protected virtual IReadOnlyList<string> Scopes(ProviderConfig provider) => provider.Provider.Scopes;

    public string BuildAuthorizationUrl(ProviderConfig provider, string redirectUri, string state, string codeChallenge)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("client_id", provider.Provider.ClientId),
            new("response_type", "code"),
            new("redirect_uri", redirectUri),
            new("state", state),
            new("code_challenge", codeChallenge),
            new("code_challenge_method", "S256"),
        };
        var scopes = Scopes(provider);
        if (scopes.Count > 0)
        {
            parameters.Add(new("scope", string.Join(' ', scopes)));
        }

        parameters.AddRange(OfflineParameters(provider));
        return OAuthHttp.Query(provider.AuthUrl, parameters);
    }

    /// <summary>Never retried (see <see cref="OAuthHttp.ExchangeClientName"/>): a failed exchange asks the user to start again.</summary>
    public Task<TokenSet> ExchangeCodeAsync(ProviderConfig provider, string code, string redirectUri, string codeVerifier, CancellationToken cancellationToken) =>
        OAuthHttp.PostTokenAsync(httpFactory.CreateClient(OAuthHttp.ExchangeClientName), provider.TokenUrl,
        [
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", redirectUri),
            new("client_id", provider.Provider.ClientId),
            new("client_secret", provider.ClientSecret),
            new("code_verifier", codeVerifier),
        ], null, cancellationToken);

    public virtual Task<TokenSet> RefreshAsync(ProviderConfig provider, string refreshToken, CancellationToken cancellationToken) =>
        OAuthHttp.PostTokenAsync(Http, provider.TokenUrl, RefreshForm(provider, refreshToken),
            new TokenSet("", refreshToken, 0, []), cancellationToken);

    protected virtual List<KeyValuePair<string, string>> RefreshForm(ProviderConfig provider, string refreshToken) =>
    [
        new("grant_type", "refresh_token"),
        new("refresh_token", refreshToken),
        new("client_id", provider.Provider.ClientId),
        new("client_secret", provider.ClientSecret),
    ];

    public abstract Task<bool> RevokeAsync(ProviderConfig provider, string accessToken, string? refreshToken, CancellationToken cancellationToken);

    public abstract Task<ProviderAccount> GetAccountAsync(ProviderConfig provider, string accessToken, CancellationToken cancellationToken);

    public abstract Task<FolderPage> ListFoldersAsync(ProviderConfig provider, string accessToken, FolderQuery query, CancellationToken cancellationToken);

    public virtual bool HasRequiredScopes(IReadOnlyCollection<string> granted) => true;

    /// <summary>A string property of a JSON object, or null when absent or not a string.</summary>
    protected static string? Str(System.Text.Json.JsonElement element, string name) => ProviderJson.String(element, name);

    /// <summary>Joins a base URL and an API path, tolerating a base that already ends with the version segment.</summary>
    protected static string Url(string baseUrl, string versionSegment, string path)
    {
        var trimmed = baseUrl.TrimEnd('/');
        return trimmed.EndsWith(versionSegment, StringComparison.Ordinal) ? trimmed + path : trimmed + versionSegment + path;
    }
}
