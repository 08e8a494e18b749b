namespace Mwap.Api.Features.Files.Sync;

/// <summary>
/// One sync run's state: the generation it writes, the folders it has placed (so most parents need no lookup), and
/// items that arrived before their parent.
/// </summary>
internal sealed record SyncRun(string TenantId, string IntegrationId, long Generation, bool Full, string? InitialRootId)
{
    public string? RootId { get; set; } = InitialRootId;
    public Dictionary<string, KnownItem> Folders { get; } = new(StringComparer.Ordinal);
    public List<RemoteItem> Pending { get; } = [];
}

/// <summary>
/// Applies a provider's changes to the index in order: places each item by its own path (Dropbox) or its parent's,
/// rewrites the paths below a moved folder, and holds back items whose parent has not arrived yet.
/// </summary>
internal sealed class ChangeApplier(FileIndexStore store)
{
    private const int FolderCacheLimit = 200_000;

    /// <summary>Applies one page in order. Returns the number of changes applied.</summary>
    public async Task<int> ApplyAsync(SyncRun run, IReadOnlyList<RemoteChange> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes.OfType<RemoteChange.Root>())
        {
            run.RootId = change.Id;
        }

        // What the index already holds for the items and their parents (the folder cache answers most parents).
        var lookups = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            switch (change)
            {
                case RemoteChange.RemoveId remove:
                    lookups.Add(remove.Id);
                    break;
                case RemoteChange.Upsert { Item: var item }:
                    if (!run.Full && item.Path is null)
                    {
                        lookups.Add(item.Id);
                    }

                    if (item.ParentId is { } parent && parent != run.RootId && !run.Folders.ContainsKey(parent))
                    {
                        lookups.Add(parent);
                    }

                    break;
            }
        }

        var known = lookups.Count == 0 ? [] : await store.LookupAsync(run.TenantId, run.IntegrationId, lookups, cancellationToken);
        var batch = new Dictionary<string, IndexedRow>(StringComparer.Ordinal);
        var applied = 0;

        async Task FlushAsync()
        {
            if (batch.Count > 0)
            {
                await store.UpsertAsync(run.TenantId, run.IntegrationId, [.. batch.Values], run.Generation, cancellationToken);
                batch.Clear();
            }
        }

        foreach (var change in changes)
        {
            switch (change)
            {
                case RemoteChange.RemoveId(var id):
                    await FlushAsync();
                    var removedPath = known.TryGetValue(id, out var k) ? k.PathLower : run.Folders.TryGetValue(id, out var f) ? f.PathLower : null;
                    await store.RemoveSubtreeAsync(run.TenantId, run.IntegrationId, id, removedPath, cancellationToken);
                    known.Remove(id);
                    run.Folders.Remove(id);
                    run.Pending.RemoveAll(p => p.Id == id);
                    applied++;
                    break;
                case RemoteChange.RemovePath(var pathLower):
                    await FlushAsync();
                    await store.RemoveSubtreeAsync(run.TenantId, run.IntegrationId, null, pathLower.ToLowerInvariant(), cancellationToken);
                    applied++;
                    break;
                case RemoteChange.Upsert(var item):
                    var row = Place(run, item, known);
                    if (row is null)
                    {
                        run.Pending.RemoveAll(p => p.Id == item.Id);
                        run.Pending.Add(item);
                        continue;
                    }

                    if (!run.Full && item.Path is not null)
                    {
                        // Dropbox: an entry replaces whatever else was at its path.
                        await FlushAsync();
                        await store.RemoveOthersAtPathAsync(run.TenantId, run.IntegrationId, row.PathLower, item.Id, cancellationToken);
                    }

                    if (!run.Full && known.TryGetValue(item.Id, out var old) && old.IsFolder && old.PathLower != row.PathLower)
                    {
                        // A folder moved or was renamed: its descendants are not re-emitted, so rewrite their paths.
                        batch[item.Id] = row;
                        await FlushAsync();
                        await store.MoveSubtreeAsync(run.TenantId, run.IntegrationId, old.PathLower, row.Path, row.PathLower, cancellationToken);
                        Rebase(run, known, old.PathLower, row.Path, row.PathLower);
                    }
                    else
                    {
                        batch[item.Id] = row;
                    }

                    known[item.Id] = new KnownItem(row.Path, row.PathLower, row.IsFolder);
                    if (item.IsFolder)
                    {
                        if (run.Folders.Count >= FolderCacheLimit)
                        {
                            run.Folders.Clear();
                        }

                        run.Folders[item.Id] = new KnownItem(row.Path, row.PathLower, true);
                    }

                    applied++;
                    break;
            }
        }

        await FlushAsync();

        // Items that arrived before their parent: retry while that places some of them.
        while (run.Pending.Count > 0)
        {
            var waiting = run.Pending.ToList();
            var parents = waiting.Select(p => p.ParentId).OfType<string>().Where(p => !run.Folders.ContainsKey(p));
            var found = await store.LookupAsync(run.TenantId, run.IntegrationId, parents, cancellationToken);
            foreach (var (id, item) in found)
            {
                run.Folders[id] = item;
            }

            if (!waiting.Any(p => p.ParentId == run.RootId || (p.ParentId is { } parent && run.Folders.ContainsKey(parent))))
            {
                break;
            }

            run.Pending.Clear();
            applied += await ApplyAsync(run, [.. waiting.Select(p => new RemoteChange.Upsert(p))], cancellationToken);
        }

        return applied;
    }

    /// <summary>Resolves an item's path from its own path (Dropbox) or its parent's; null while the parent is unknown.</summary>
    private static IndexedRow? Place(SyncRun run, RemoteItem item, Dictionary<string, KnownItem> known)
    {
        string path;
        if (item.Path is not null)
        {
            path = item.Path;
        }
        else if (item.ParentId is null || item.ParentId == run.RootId)
        {
            if (item.ParentId is null && run.RootId is not null)
            {
                return null;
            }

            path = "/" + item.Name;
        }
        else if (run.Folders.TryGetValue(item.ParentId, out var folder) || (known.TryGetValue(item.ParentId, out folder) && folder.IsFolder))
        {
            path = folder.Path + "/" + item.Name;
        }
        else
        {
            return null;
        }

        var lower = path.ToLowerInvariant();
        var slash = lower.LastIndexOf('/');
        return new IndexedRow(item.Id, item.ParentId, item.Name, path, lower, slash <= 0 ? "" : lower[..slash], item.MimeType, item.IsFolder,
            item.Size, item.ModifiedTime, item.Checksum);
    }

    /// <summary>Moves cached paths under a moved folder to its new place.</summary>
    private static void Rebase(SyncRun run, Dictionary<string, KnownItem> known, string oldLower, string newPath, string newLower)
    {
        var prefix = oldLower + "/";
        foreach (var map in new[] { known, run.Folders })
        {
            foreach (var (id, item) in map.Where(e => e.Value.PathLower.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                var cut = oldLower.Length;
                map[id] = new KnownItem(newPath + item.Path[cut..], newLower + item.PathLower[cut..], item.IsFolder);
            }
        }
    }
}
