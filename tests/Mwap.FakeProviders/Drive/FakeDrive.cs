using System.Text;

namespace Mwap.FakeProviders.Drive;

/// <summary>
/// The in-memory folder tree of one fake account. Thread-safe; listings return snapshots in insertion order, which
/// keeps offset-based page tokens stable while a test adds nothing in between. Every change (add, rename, move,
/// content update, trash, delete) bumps <see cref="Version"/> and is logged for the providers' change feeds.
/// </summary>
public sealed partial class FakeDrive
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FakeDriveItem> _items = new(StringComparer.Ordinal);
    private readonly List<FakeDriveItem> _ordered = [];

    // Benchmarks list big trees; an index keeps a folder listing proportional to the folder, not the drive.
    private readonly Dictionary<string, List<FakeDriveItem>> _children = new(StringComparer.Ordinal);
    private readonly ItemIds _ids;
    private readonly TimeProvider _time;
    private long _version;

    // Feeds page through the same snapshot many times; it stays valid until the next change bumps the version.
    private readonly Dictionary<(string FolderId, bool SkipTrashed), IReadOnlyList<FakeDriveItem>> _subtrees = [];
    private IReadOnlyList<FakeDriveItem>? _all;
    private long _snapshotVersion = -1;

    internal FakeDrive(FakeProvider provider, TimeProvider time)
    {
        _ids = new ItemIds(provider);
        _time = time;
        Root = Add(_ids.NextRoot(), "", null, FakeDriveItem.FolderMimeType, null, null);
    }

    public FakeDriveItem Root { get; }

    /// <summary>Graph's drive id (also used in <c>parentReference.driveId</c>).</summary>
    public string DriveId => _ids.DriveId;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _ordered.Count - 1;
            }
        }
    }

    public FakeDriveItem AddFolder(FakeDriveItem parent, string name) =>
        Add(_ids.Next(), name, parent, FakeDriveItem.FolderMimeType, null, null);

    /// <summary>Creates each missing folder of a "/A/B" path and returns the last one.</summary>
    public FakeDriveItem AddFolder(string path)
    {
        var folder = Root;
        foreach (var name in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            folder = Children(folder).FirstOrDefault(c => c.IsFolder && NameEquals(c.Name, name)) ?? AddFolder(folder, name);
        }

        return folder;
    }

    /// <summary>Adds a file; content defaults to a short text naming it, and Google-native types get none.</summary>
    public FakeDriveItem AddFile(FakeDriveItem parent, string name, byte[]? content = null, string? mimeType = null,
        DateTimeOffset? modifiedTime = null, string? sharedDriveId = null)
    {
        var type = mimeType ?? MimeTypes.ForName(name);
        var bytes = type.StartsWith("application/vnd.google-apps.", StringComparison.Ordinal)
            ? null
            : content ?? Encoding.UTF8.GetBytes($"Fake content of {name}\n");
        return Add(_ids.Next(), name, parent, type, bytes, modifiedTime, sharedDriveId);
    }

    /// <summary>
    /// Adds a Drive shortcut to <paramref name="target"/> (a file or a folder), named after it unless told otherwise
    /// (https://developers.google.com/drive/api/guides/shortcuts).
    /// </summary>
    public FakeDriveItem AddShortcut(FakeDriveItem parent, FakeDriveItem target, string? name = null)
    {
        lock (_gate)
        {
            var item = AddLocked(_ids.Next(), name ?? target.Name, parent, "application/vnd.google-apps.shortcut", null, _time.GetUtcNow(), _time.GetUtcNow(), null);
            item.ShortcutTargetId = target.Id;
            item.ShortcutTargetMimeType = target.MimeType;
            return item;
        }
    }

    /// <summary>Adds <paramref name="count"/> small files named "{prefix}-001.txt"…, enough to see paging.</summary>
    public IReadOnlyList<FakeDriveItem> AddFiles(FakeDriveItem parent, int count, string prefix = "file") =>
        [.. Enumerable.Range(1, count).Select(i => AddFile(parent, $"{prefix}-{i:000}.txt"))];

    public FakeDriveItem? Find(string id)
    {
        lock (_gate)
        {
            return _items.GetValueOrDefault(id);
        }
    }

    /// <summary>Case-insensitive lookup of "/A/b.txt"; "" and "/" are the root.</summary>
    public FakeDriveItem? FindByPath(string path)
    {
        var item = Root;
        foreach (var name in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            item = Children(item).FirstOrDefault(c => NameEquals(c.Name, name));
            if (item is null)
            {
                return null;
            }
        }

        return item;
    }

    /// <summary>Direct children, trashed ones included (each provider decides whether to show them).</summary>
    public IReadOnlyList<FakeDriveItem> Children(FakeDriveItem folder)
    {
        lock (_gate)
        {
            return _children.TryGetValue(folder.Id, out var children) ? [.. children] : [];
        }
    }

    /// <summary>Every item but the root, in insertion order.</summary>
    public IReadOnlyList<FakeDriveItem> All() => [.. Snapshot()];

    /// <summary>Like <see cref="All"/>, but a shared read-only snapshot that is reused until the drive changes.</summary>
    internal IReadOnlyList<FakeDriveItem> Snapshot()
    {
        lock (_gate)
        {
            DropStaleSnapshots();
            return _all ??= [.. _ordered.Where(i => !i.IsRoot)];
        }
    }

    /// <summary>All items below a folder, parents before children.</summary>
    public IReadOnlyList<FakeDriveItem> Descendants(FakeDriveItem folder) => [.. Subtree(folder, skipTrashed: false)];

    /// <summary>Display path such as "/Documents/Report.pdf"; the root is "".</summary>
    public string PathOf(FakeDriveItem item)
    {
        lock (_gate)
        {
            return PathOfLocked(item);
        }
    }

    /// <summary>Removes everything but the root; each removal is a permanent delete the change feeds report.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (var child in _children.GetValueOrDefault(Root.Id)?.ToList() ?? [])
            {
                DeleteLocked(child);
            }

            _ordered.RemoveAll(i => i.IsDeleted);
        }
    }

    internal static bool NameEquals(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>Items below a folder in pre-order under one lock; <paramref name="skipTrashed"/> prunes trashed subtrees.</summary>
    internal IReadOnlyList<FakeDriveItem> Subtree(FakeDriveItem folder, bool skipTrashed)
    {
        var result = new List<FakeDriveItem>();
        lock (_gate)
        {
            DropStaleSnapshots();
            if (_subtrees.TryGetValue((folder.Id, skipTrashed), out var cached))
            {
                return cached;
            }

            _subtrees[(folder.Id, skipTrashed)] = result;
            var stack = new Stack<(List<FakeDriveItem> Siblings, int Next)>();
            if (_children.TryGetValue(folder.Id, out var top))
            {
                stack.Push((top, 0));
            }

            while (stack.Count > 0)
            {
                var (siblings, next) = stack.Pop();
                if (next >= siblings.Count)
                {
                    continue;
                }

                stack.Push((siblings, next + 1));
                var item = siblings[next];
                if (skipTrashed && item.Trashed)
                {
                    continue;
                }

                result.Add(item);
                if (_children.TryGetValue(item.Id, out var children))
                {
                    stack.Push((children, 0));
                }
            }
        }

        return result;
    }

    private void DropStaleSnapshots()
    {
        if (_snapshotVersion != _version)
        {
            _subtrees.Clear();
            _all = null;
            _snapshotVersion = _version;
        }
    }

    private string PathOfLocked(FakeDriveItem item)
    {
        var parts = new Stack<string>();
        for (var current = item; current is { IsRoot: false }; current = _items.GetValueOrDefault(current.ParentId!))
        {
            parts.Push(current.Name);
        }

        return parts.Count == 0 ? "" : "/" + string.Join('/', parts);
    }

    private FakeDriveItem Add(string id, string name, FakeDriveItem? parent, string mimeType, byte[]? content,
        DateTimeOffset? modifiedTime, string? sharedDriveId = null)
    {
        if (parent is { IsFolder: false })
        {
            throw new ArgumentException($"'{parent.Name}' is a file, not a folder.", nameof(parent));
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return AddLocked(id, name, parent, mimeType, content, modifiedTime ?? now, now, sharedDriveId);
        }
    }

    private FakeDriveItem AddLocked(string id, string name, FakeDriveItem? parent, string mimeType, byte[]? content,
        DateTimeOffset modifiedTime, DateTimeOffset now, string? sharedDriveId)
    {
        if (parent is { IsDeleted: true })
        {
            throw new InvalidOperationException($"'{parent.Name}' was deleted.");
        }

        var item = new FakeDriveItem(id, name, parent?.Id, mimeType, content, modifiedTime, modifiedTime, ++_version, sharedDriveId);
        _items[id] = item;
        _ordered.Add(item);
        if (parent is not null)
        {
            if (!_children.TryGetValue(parent.Id, out var siblings))
            {
                _children[parent.Id] = siblings = [];
            }

            siblings.Add(item);
        }

        Log(new DriveChange(item.Version, now, DriveChangeKind.Added, item, null, null, false));
        return item;
    }
}
