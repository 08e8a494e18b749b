using System.Text.Json.Serialization;

namespace Mwap.Api.Features.Files;

/// <summary>The guide's file fields; <c>type</c> is the MIME type.</summary>
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
    public static FileResponse From(VirtualFile f) =>
        new(f.Id, f.Name, f.Path ?? "", f.MimeType, f.IsFolder, f.Size, f.ModifiedTime, f.Checksum, f.ProviderFileId);
}

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
