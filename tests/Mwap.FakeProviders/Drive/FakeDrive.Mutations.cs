namespace Mwap.FakeProviders.Drive;

public sealed partial class FakeDrive
{
    /// <summary>Moves an item to the trash: Drive lists it only for <c>trashed = true</c>; the others hide it.</summary>
    public void Trash(FakeDriveItem item)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            EnsureLive(item);
            item.Trashed = true;
            item.Version = ++_version;
            item.ModifiedTime = now;
            Log(new DriveChange(item.Version, now, DriveChangeKind.Trashed, item, PathOfLocked(item), null, false));
        }
    }

    /// <summary>Renames an item in place; the change feeds report it (Dropbox as a delete plus an add).</summary>
    public void Rename(FakeDriveItem item, string newName)
    {
        ArgumentException.ThrowIfNullOrEmpty(newName);
        Relocate(item, newName, null);
    }

    /// <summary>Moves an item (with its subtree) into another folder.</summary>
    public void Move(FakeDriveItem item, FakeDriveItem newParent) => Relocate(item, null, newParent);

    /// <summary>Replaces a file's bytes: size, checksums, modified time and version change.</summary>
    public void UpdateContent(FakeDriveItem item, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            EnsureLive(item);
            if (item.IsFolder)
            {
                throw new ArgumentException($"'{item.Name}' is a folder.", nameof(item));
            }

            item.Content = content;
            item.ModifiedTime = now;
            item.Version = ++_version;
            Log(new DriveChange(item.Version, now, DriveChangeKind.Updated, item, null, null, false));
        }
    }

    /// <summary>
    /// Deletes an item permanently with everything below it. Each removed item leaves a tombstone (its id, name,
    /// parent and the path it had) so the feeds can report it: Drive and Graph per item, Dropbox once for the top.
    /// </summary>
    public void Delete(FakeDriveItem item)
    {
        lock (_gate)
        {
            DeleteLocked(item);
            _ordered.RemoveAll(i => i.IsDeleted);
        }
    }

    /// <summary>Every permanently deleted item, oldest first.</summary>
    public IReadOnlyList<FakeDriveTombstone> Deleted()
    {
        lock (_gate)
        {
            return [.. _log.Where(c => c.Kind == DriveChangeKind.Deleted)
                .Select(c => new FakeDriveTombstone(c.Item.Id, c.Item.Name, c.Item.ParentId, c.Path!, c.Item.IsFolder, c.Version, c.Time))];
        }
    }

    private void Relocate(FakeDriveItem item, string? newName, FakeDriveItem? newParent)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            EnsureLive(item);
            if (newParent is not null)
            {
                if (newParent.IsDeleted)
                {
                    throw new InvalidOperationException($"'{newParent.Name}' was deleted.");
                }

                if (!newParent.IsFolder)
                {
                    throw new ArgumentException($"'{newParent.Name}' is a file, not a folder.", nameof(newParent));
                }

                for (var current = newParent; current is not null; current = current.ParentId is null ? null : _items[current.ParentId])
                {
                    if (current == item)
                    {
                        throw new ArgumentException("A folder cannot move into itself.", nameof(newParent));
                    }
                }
            }

            var oldPath = PathOfLocked(item);
            if (newName is not null)
            {
                item.Name = newName;
            }

            if (newParent is not null && newParent.Id != item.ParentId)
            {
                _children[item.ParentId!].Remove(item);
                if (!_children.TryGetValue(newParent.Id, out var siblings))
                {
                    _children[newParent.Id] = siblings = [];
                }

                siblings.Add(item);
                item.ParentId = newParent.Id;
            }

            item.Version = ++_version;
            Log(new DriveChange(item.Version, now, DriveChangeKind.Moved, item, PathOfLocked(item), oldPath, false));
        }
    }

    /// <summary>Removes the subtree, top first; the caller compacts <see cref="_ordered"/> once.</summary>
    private void DeleteLocked(FakeDriveItem item)
    {
        EnsureLive(item);
        var now = _time.GetUtcNow();
        var paths = new Dictionary<string, string>(StringComparer.Ordinal) { [item.Id] = PathOfLocked(item) };
        var doomed = new List<FakeDriveItem> { item };
        for (var i = 0; i < doomed.Count; i++)
        {
            foreach (var child in _children.GetValueOrDefault(doomed[i].Id) ?? [])
            {
                paths[child.Id] = paths[doomed[i].Id] + "/" + child.Name;
                doomed.Add(child);
            }
        }

        _children[item.ParentId!].Remove(item);
        foreach (var gone in doomed)
        {
            _items.Remove(gone.Id);
            _children.Remove(gone.Id);
            gone.IsDeleted = true;
            gone.Version = ++_version;
            Log(new DriveChange(gone.Version, now, DriveChangeKind.Deleted, gone, paths[gone.Id], null, gone != item));
        }
    }

    private void EnsureLive(FakeDriveItem item)
    {
        if (item.IsRoot)
        {
            throw new ArgumentException("The root folder cannot change.", nameof(item));
        }

        if (item.IsDeleted || !_items.ContainsKey(item.Id))
        {
            throw new InvalidOperationException($"'{item.Name}' was deleted.");
        }
    }
}

/// <summary>What a permanent delete leaves behind for the change feeds.</summary>
public sealed record FakeDriveTombstone(string Id, string Name, string? ParentId, string Path, bool IsFolder, long Version,
    DateTimeOffset DeletedAt);
