using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Files;

/// <summary>
/// One file or folder of a connected account, as last seen by the sync engine (the guide's <c>virtualFiles</c>).
/// Rows are keyed by the provider's id within the integration; paths are display paths from the account root.
/// </summary>
internal sealed class VirtualFile : ITenantOwned
{
    public const string TableName = "virtual_files";

    public string Id { get; init; } = null!;
    public string TenantId { get; init; } = null!;
    public string IntegrationId { get; init; } = null!;
    public string ProviderFileId { get; init; } = null!;

    /// <summary>The provider's id of the parent folder (Drive, Graph); null where the provider addresses by path (Dropbox).</summary>
    public string? ParentProviderId { get; set; }

    public string Name { get; set; } = null!;
    public string NameLower { get; set; } = null!;

    /// <summary>"/A/b.txt"; null while the parent is not known yet (an orphan waiting for its parent).</summary>
    public string? Path { get; set; }

    public string? PathLower { get; set; }

    /// <summary>The lower-cased path of the folder holding this item ("" for the account root).</summary>
    public string? ParentPathLower { get; set; }

    public string MimeType { get; set; } = null!;
    public bool IsFolder { get; set; }
    public long? Size { get; set; }
    public DateTime? ModifiedTime { get; set; }
    public string? Checksum { get; set; }

    /// <summary>The full sync that last saw this row; a full sync removes rows older than its own generation.</summary>
    public long SyncGeneration { get; set; }

    public DateTime IndexedAt { get; set; }
}
