using System.Globalization;
using System.Text;

namespace Mwap.FakeProviders.Drive;

public sealed partial class FakeDrive
{
    // Append-only, ordered by version: a feed position is a version, so a page is a binary search plus a scan.
    private readonly List<DriveChange> _log = [];
    private readonly Dictionary<string, long> _latest = new(StringComparer.Ordinal);
    private long _changeFloor;

    /// <summary>The drive-wide change version: it grows with every add, rename, move, update, trash and delete.</summary>
    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    /// <summary>
    /// Builds a nested tree of <paramref name="files"/> small files under <paramref name="parent"/>, fast: folders
    /// named "{name}-0001"… hold up to <paramref name="filesPerFolder"/> files each and up to
    /// <paramref name="foldersPerFolder"/> subfolders, so inner folders hold both. Content is a short line and hashes
    /// are computed only when a listing asks for them. Returns the folders created; the first is the top one.
    /// </summary>
    public IReadOnlyList<FakeDriveItem> AddTree(FakeDriveItem parent, int files, int filesPerFolder = 1000,
        int foldersPerFolder = 10, string name = "tree")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(files);
        ArgumentOutOfRangeException.ThrowIfLessThan(filesPerFolder, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(foldersPerFolder, 1);
        if (!parent.IsFolder)
        {
            throw new ArgumentException($"'{parent.Name}' is a file, not a folder.", nameof(parent));
        }

        var folderCount = Math.Max(1, (files + filesPerFolder - 1) / filesPerFolder);
        var folders = new List<FakeDriveItem>(folderCount);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            for (var i = 0; i < folderCount; i++)
            {
                // Heap numbering: folder i sits in folder (i - 1) / fan-out, so the tree is shallow and every level is full.
                var owner = i == 0 ? parent : folders[(i - 1) / foldersPerFolder];
                var folderName = string.Create(CultureInfo.InvariantCulture, $"{name}-{i + 1:0000}");
                folders.Add(AddLocked(_ids.NextBulk(), folderName, owner, FakeDriveItem.FolderMimeType, null, now, now, null));
            }

            for (var i = 0; i < files; i++)
            {
                var fileName = string.Create(CultureInfo.InvariantCulture, $"file-{i + 1:000000}.txt");
                AddLocked(_ids.NextBulk(), fileName, folders[i / filesPerFolder], "text/plain", Encoding.UTF8.GetBytes(fileName + "\n"), now, now, null);
            }
        }

        return folders;
    }

    /// <summary>Versions at or below the floor are no longer valid feed positions.</summary>
    internal void ExpireChangeTokens()
    {
        lock (_gate)
        {
            _changeFloor = ++_version;
        }
    }

    internal bool IsValidPosition(long after)
    {
        lock (_gate)
        {
            return after >= _changeFloor && after <= _version;
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> logged changes after a position, each flagged whether it is still the item's
    /// latest change (feeds coalesce: only the latest state of an item is reported), plus the current version.
    /// </summary>
    internal (IReadOnlyList<ChangeView> Changes, long Head) ChangesAfter(long after, int max)
    {
        lock (_gate)
        {
            int low = 0, high = _log.Count;
            while (low < high)
            {
                var mid = (low + high) / 2;
                if (_log[mid].Version <= after)
                {
                    low = mid + 1;
                }
                else
                {
                    high = mid;
                }
            }

            var count = Math.Min(max, _log.Count - low);
            var result = new ChangeView[count];
            for (var i = 0; i < count; i++)
            {
                var change = _log[low + i];
                result[i] = new ChangeView(change, _latest[change.Item.Id] == change.Version);
            }

            return (result, _version);
        }
    }

    /// <summary>
    /// Raised after every logged change, under the drive's lock: handlers must only signal (e.g. write to a channel),
    /// never call back into the drive or block.
    /// </summary>
    public event Action? Changed;

    private void Log(DriveChange change)
    {
        _log.Add(change);
        _latest[change.Item.Id] = change.Version;
        Changed?.Invoke();
    }
}

internal enum DriveChangeKind
{
    Added,
    Updated,
    Moved,
    Trashed,
    Deleted,
}

/// <summary>
/// One logged change. <see cref="Path"/> is the path after a move, at trash time, or the path a deleted item had;
/// <see cref="OldPath"/> the path before a move or rename. <see cref="ViaAncestor"/> marks a descendant removed
/// with its deleted folder.
/// </summary>
internal sealed record DriveChange(long Version, DateTimeOffset Time, DriveChangeKind Kind, FakeDriveItem Item, string? Path,
    string? OldPath, bool ViaAncestor);

internal readonly record struct ChangeView(DriveChange Change, bool IsLatest);
