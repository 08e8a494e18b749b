namespace Mwap.FakeProviders.Drive;

/// <summary>A folder or file in a fake account. Each provider renders it in its own wire shape.</summary>
public sealed class FakeDriveItem
{
    public const string FolderMimeType = "application/vnd.google-apps.folder";

    private ItemHashes? _hashes;
    private byte[]? _content;

    internal FakeDriveItem(string id, string name, string? parentId, string mimeType, byte[]? content,
        DateTimeOffset createdTime, DateTimeOffset modifiedTime, long version, string? sharedDriveId)
    {
        Id = id;
        Name = name;
        ParentId = parentId;
        MimeType = mimeType;
        _content = content;
        CreatedTime = createdTime;
        ModifiedTime = modifiedTime;
        Version = version;
        SharedDriveId = sharedDriveId;
        _hashes = content is null ? null : new ItemHashes(content);
    }

    public string Id { get; }
    public string Name { get; internal set; }

    /// <summary>Null only for the root folder.</summary>
    public string? ParentId { get; internal set; }

    public string MimeType { get; }
    public bool IsFolder => MimeType == FolderMimeType;
    public bool IsRoot => ParentId is null;

    /// <summary>The bytes a download returns; null for folders and for Google-native documents (which only export).</summary>
    public byte[]? Content
    {
        get => _content;
        internal set
        {
            _content = value;
            _hashes = value is null ? null : new ItemHashes(value);
        }
    }

    public long? Size => Content?.LongLength;
    public DateTimeOffset CreatedTime { get; }
    public DateTimeOffset ModifiedTime { get; internal set; }
    public long Version { get; internal set; }
    public bool Trashed { get; internal set; }

    /// <summary>True once <see cref="FakeDrive.Delete"/> removed the item (or a folder above it) for good.</summary>
    public bool IsDeleted { get; internal set; }

    /// <summary>Google only: items in a shared drive are hidden unless the client asks for all drives.</summary>
    public string? SharedDriveId { get; }

    /// <summary>
    /// Drive shortcuts (<c>application/vnd.google-apps.shortcut</c>): the item they point to. A shortcut has no content
    /// and no children of its own.
    /// </summary>
    public string? ShortcutTargetId { get; internal set; }

    /// <summary>The target's MIME type, copied when the shortcut was made (it can go stale, as at Drive).</summary>
    public string? ShortcutTargetMimeType { get; internal set; }

    public bool IsGoogleNative => !IsFolder && MimeType.StartsWith("application/vnd.google-apps.", StringComparison.Ordinal);

    internal ItemHashes? Hashes => _hashes;
}

/// <summary>Each checksum is computed on first use: a listing of 100,000 files pays only for the hashes it shows.</summary>
internal sealed class ItemHashes(byte[] content)
{
    private string? _md5;
    private string? _sha1;
    private string? _sha256;
    private string? _dropbox;
    private string? _quickXor;

    public string Md5 => _md5 ??= ContentHashes.Md5Hex(content);
    public string Sha1 => _sha1 ??= ContentHashes.Sha1Hex(content);
    public string Sha256 => _sha256 ??= ContentHashes.Sha256Hex(content);
    public string DropboxContentHash => _dropbox ??= ContentHashes.DropboxContentHash(content);
    public string QuickXor => _quickXor ??= ContentHashes.QuickXorBase64(content);
}
