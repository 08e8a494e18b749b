using System.Text.Json.Serialization;

namespace Mwap.Api.Features.Files;

/// <summary>
/// The guide's file fields (<c>type</c> is the MIME type) and, for MWAP's client (its <c>File</c> type), the same values
/// under MWAP's names: <c>fileId</c>, <c>mimeType</c>, <c>modifiedAt</c>, <c>status</c>, <c>metadata.isFolder</c>, <c>metadata.path</c>.
/// </summary>
internal sealed record FileResponse(
    [property: JsonPropertyName("_id")] string Id,
    string Name,
    string Path,
    string Type,
    bool IsFolder,
    long? Size,
    DateTime? ModifiedTime,
    string? Checksum,
    string ProviderFileId)
{
    /// <summary>MWAP: the provider's id of the file.</summary>
    public string FileId => ProviderFileId;

    public string MimeType => Type;

    public DateTime? ModifiedAt => ModifiedTime;

    /// <summary>MWAP listed every file as <c>pending</c>; a file in our listing is indexed and present: <c>active</c>.</summary>
#pragma warning disable CA1822 // serialised as an instance property
    public string Status => "active";
#pragma warning restore CA1822

    public FileMetadata Metadata => new(IsFolder, Path);
}

/// <summary>MWAP's <c>metadata</c> object of a file.</summary>
internal sealed record FileMetadata(bool IsFolder, string Path);

/// <summary>MWAP's paged list shape: the envelope with <c>nextCursor</c> and <c>hasMore</c> at the top level.</summary>
internal sealed record FilesPage(IReadOnlyList<FileResponse> Data, string? NextCursor, bool HasMore)
{
    [JsonPropertyOrder(-1)]
#pragma warning disable CA1822 // serialised as an instance property
    public bool Success => true;
#pragma warning restore CA1822
}

/// <summary><c>GET /projects/{id}/files</c> query parameters as the caller sent them (parsed by <see cref="FileQueryParser"/>).</summary>
internal sealed record FileListQuery(string? FolderId, string? Path, string? Search, string? Type, string? Sort, string? Order, string? Limit,
    string? Cursor, string? Live, string? Recursive);

internal sealed record DownloadResponse(string Url, DateTime ExpiresAt, string Name, long? Size, string Type);
