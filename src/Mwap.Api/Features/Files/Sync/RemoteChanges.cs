using Mwap.Api.Features.Integrations.Providers;
using Mwap.Api.Features.Integrations.Tokens;

namespace Mwap.Api.Features.Files.Sync;

/// <summary>
/// A file or folder as the provider describes it, in one shape for all three providers. <c>ParentId</c> is the parent
/// folder's provider id (Drive, Graph); <c>Path</c> is the display path for providers that address by path (Dropbox).
/// </summary>
/// <summary><c>ShortcutTargetId</c>: a Drive shortcut's target (the item lists as its target: type, folder or file).</summary>
internal sealed record RemoteItem(string Id, string Name, string? ParentId, string? Path, bool IsFolder, string MimeType,
    long? Size, DateTime? ModifiedTime, string? Checksum, string? ShortcutTargetId = null);

/// <summary>One entry of a listing or change feed, applied in order.</summary>
internal abstract record RemoteChange
{
    /// <summary>Create or update (including renames and moves).</summary>
    public sealed record Upsert(RemoteItem Item) : RemoteChange;

    /// <summary>The item with this provider id is gone (with everything below it).</summary>
    public sealed record RemoveId(string Id) : RemoteChange;

    /// <summary>Whatever is at this lower-cased path is gone, with everything below it (Dropbox).</summary>
    public sealed record RemovePath(string PathLower) : RemoteChange;

    /// <summary>The provider told us the id of the account's root folder.</summary>
    public sealed record Root(string Id) : RemoteChange;
}

/// <summary>
/// One page of changes. <see cref="Cursor"/> is where the feed continues after this page (stored with the page's rows);
/// when <see cref="Done"/> is true it is the cursor for the next incremental sync.
/// </summary>
internal sealed record ChangePage(IReadOnlyList<RemoteChange> Changes, string? Cursor, bool Done);

/// <summary>Runs one provider request with a valid access token (refreshing once on 401).</summary>
internal interface IProviderCaller
{
    Task<T> CallAsync<T>(Func<ProviderConfig, string, Task<T>> call, CancellationToken cancellationToken);
}

/// <summary>Provider calls for one integration, through <see cref="TokenService"/>.</summary>
internal sealed class IntegrationCaller(TokenService tokens, string integrationId) : IProviderCaller
{
    public Task<T> CallAsync<T>(Func<ProviderConfig, string, Task<T>> call, CancellationToken cancellationToken) =>
        tokens.WithAccessTokenAsync(integrationId, (config, _, token) => call(config, token), cancellationToken);
}

/// <summary>A provider's listing and change feed, page by page (fact sheet §1.3–1.4, §2.3–2.4, §3.3–3.4).</summary>
internal interface IFileSyncSource
{
    string Kind { get; }

    /// <summary>Every item of the account, pages of at most <paramref name="pageSize"/>; the last page carries the change cursor.</summary>
    IAsyncEnumerable<ChangePage> FullAsync(IProviderCaller caller, int pageSize, CancellationToken cancellationToken);

    /// <summary>Changes since <paramref name="cursor"/>. Throws <see cref="ProviderErrorKind.CursorReset"/> when the cursor expired.</summary>
    IAsyncEnumerable<ChangePage> ChangesAsync(IProviderCaller caller, string cursor, int pageSize, CancellationToken cancellationToken);

    /// <summary>One page of a folder's children, straight from the provider (for <c>?live=true</c>).</summary>
    Task<LivePage> ListLiveAsync(IProviderCaller caller, LiveFolder folder, string? pageToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>A short-lived link for a file, or null when the server must stream it itself.</summary>
    Task<DownloadLink?> GetDownloadLinkAsync(IProviderCaller caller, string fileId, string? path, CancellationToken cancellationToken);

    /// <summary>Opens the file's content (for providers without pre-authenticated links).</summary>
    Task<HttpResponseMessage> OpenContentAsync(IProviderCaller caller, string fileId, CancellationToken cancellationToken);

    /// <summary>Opens a native document converted to <paramref name="mimeType"/> (Drive's export); others have no such documents.</summary>
    Task<HttpResponseMessage> OpenExportAsync(IProviderCaller caller, string fileId, string mimeType, CancellationToken cancellationToken) =>
        throw new ProviderException(ProviderErrorKind.NotSupported, 400, "This provider has no exportable documents");
}

/// <summary>The folder to list live: its provider id when known, and its display path.</summary>
internal sealed record LiveFolder(string? Id, string Path);

internal sealed record LivePage(IReadOnlyList<RemoteItem> Items, string? NextPageToken);

internal sealed record DownloadLink(string Url, DateTime ExpiresAt);

/// <summary>The provider refuses an export because the converted document is over its size limit (Drive: 10 MB).</summary>
internal sealed class ExportTooLargeException() : Exception("The exported document exceeds the provider's export size limit");
