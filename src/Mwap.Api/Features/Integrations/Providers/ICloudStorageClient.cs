using Mwap.Api.Features.CloudProviders;

namespace Mwap.Api.Features.Integrations.Providers;

/// <summary>
/// One implementation per provider kind (chosen by the provider's slug). Endpoints default to the real ones; the
/// provider record's authorize/token URLs and <c>metadata.apiBaseUrl</c> / <c>metadata.contentBaseUrl</c> override them.
/// Singletons: stateless apart from the HTTP client factory.
/// </summary>
internal interface ICloudStorageClient
{
    string Kind { get; }

    string BuildAuthorizationUrl(ProviderConfig provider, string redirectUri, string state, string codeChallenge);

    Task<TokenSet> ExchangeCodeAsync(ProviderConfig provider, string code, string redirectUri, string codeVerifier, CancellationToken cancellationToken);

    Task<TokenSet> RefreshAsync(ProviderConfig provider, string refreshToken, CancellationToken cancellationToken);

    /// <summary>Revokes the grant where the provider supports it; returns false when it has no revocation endpoint.</summary>
    Task<bool> RevokeAsync(ProviderConfig provider, string accessToken, string? refreshToken, CancellationToken cancellationToken);

    Task<ProviderAccount> GetAccountAsync(ProviderConfig provider, string accessToken, CancellationToken cancellationToken);

    Task<FolderPage> ListFoldersAsync(ProviderConfig provider, string accessToken, FolderQuery query, CancellationToken cancellationToken);

    /// <summary>True when the granted scopes let the server do its work (Google's granular consent can drop them).</summary>
    bool HasRequiredScopes(IReadOnlyCollection<string> granted) => true;
}

/// <summary>
/// A provider record with its decrypted client secret and resolved URLs (<see cref="AuthUrl"/> and
/// <see cref="TokenUrl"/> are the record's, with the Microsoft tenant applied).
/// </summary>
internal sealed record ProviderConfig(CloudProvider Provider, string ClientSecret, string ApiBaseUrl, string? ContentBaseUrl, string? RevokeUrl)
{
    public string AuthUrl { get; init; } = Provider.AuthUrl;
    public string TokenUrl { get; init; } = Provider.TokenUrl;

    /// <summary>Dropbox: the integration's team root namespace (<see cref="IntegrationAccount.RootNamespaceId"/>), or null.</summary>
    public string? PathRoot { get; init; }
}

internal sealed record TokenSet(string AccessToken, string? RefreshToken, int ExpiresInSeconds, IReadOnlyList<string> Scopes);

/// <summary><c>RootNamespaceId</c>: Dropbox's root namespace when it differs from the home namespace (team spaces), else null.</summary>
internal sealed record ProviderAccount(string? Email, string? Name, string? ProviderUserId, string? RootNamespaceId = null);

/// <summary><c>ParentPath</c>: the display path of <c>FolderId</c> when the index knows it (else the client walks the parents).</summary>
internal sealed record FolderQuery(string? FolderId, string? Path, string? Cursor, string? ParentPath = null);

internal sealed record FolderEntry(string Id, string Name, string Path);

internal sealed record FolderPage(IReadOnlyList<FolderEntry> Folders, string? NextCursor, bool SupportsPath, bool SupportsId);

internal enum ProviderErrorKind
{
    /// <summary>The grant is gone (revoked, expired, unknown): the user must reconnect; never retried.</summary>
    InvalidGrant,
    InvalidClient,
    Unauthorized,
    Forbidden,
    NotFound,
    RateLimited,
    Unavailable,
    BadResponse,
    NotSupported,

    /// <summary>A change cursor the provider no longer accepts (Dropbox <c>reset</c>, Graph 410, Drive invalid page token): resync fully.</summary>
    CursorReset,

    /// <summary>Dropbox 422 <c>path_root_error</c>: the <c>Dropbox-API-Path-Root</c> sent is stale; re-read the account.</summary>
    PathRootChanged,
}

/// <summary>A provider call that failed, classified so callers can react (reconnect, refresh, back off) without parsing bodies.</summary>
internal sealed class ProviderException(ProviderErrorKind kind, int? status, string message, Exception? inner = null) : Exception(message, inner)
{
    public ProviderErrorKind Kind { get; } = kind;
    public int? Status { get; } = status;
}
