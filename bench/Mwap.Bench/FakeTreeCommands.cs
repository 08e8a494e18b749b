using System.Globalization;
using Mwap.FakeProviders;
using Mwap.FakeProviders.Drive;

namespace Mwap.Bench;

/// <summary>
/// The sync benchmark's commands, run inside the fake provider process on one provider's drive:
/// <c>tree {provider} {files} {filesPerFolder}</c> empties the drive and builds a nested tree (answers the item count),
/// <c>changes {provider} {n} {seed}</c> applies n changes, a quarter each of file creates, renames, moves and deletes
/// (answers the item count), <c>digest {provider}</c> answers "{count} {digest}" over the visible tree
/// (<see cref="TreeDigest"/>), which the benchmark compares with the index.
/// </summary>
internal static class FakeTreeCommands
{
    public static FakeProviderState State(FakeProviderServer server, string provider) => provider switch
    {
        "google" => server.Google,
        "dropbox" => server.Dropbox,
        "onedrive" => server.Microsoft,
        _ => throw new ArgumentException($"unknown provider '{provider}'"),
    };

    /// <summary>The scopes the server requests at connect time (ConnectFlowApiFactory registers the same).</summary>
    public static string[] Scopes(string provider) => provider switch
    {
        "google" => ["https://www.googleapis.com/auth/drive.readonly", "openid", "email"],
        "onedrive" => ["Files.Read", "User.Read", "offline_access"],
        _ => ["account_info.read", "files.metadata.read", "files.content.read"],
    };

    public static string Run(FakeProviderServer server, string[] command)
    {
        try
        {
            var drive = State(server, command[1]).Files;
            switch (command[0])
            {
                case "tree":
                    drive.Clear();
                    drive.AddTree(drive.Root, Int(command[2]), Int(command[3]));
                    return drive.Count.ToString(CultureInfo.InvariantCulture);
                case "changes":
                    ApplyChanges(drive, Int(command[2]), Int(command[3]));
                    return drive.Count.ToString(CultureInfo.InvariantCulture);
                default:
                    var (count, digest) = Digest(drive);
                    return string.Create(CultureInfo.InvariantCulture, $"{count} {digest}");
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException or FormatException)
        {
            return "error " + e.Message.ReplaceLineEndings(" ");
        }
    }

    /// <summary>Files only, each touched once: a folder rename would make Dropbox re-list its whole subtree.</summary>
    private static void ApplyChanges(FakeDrive drive, int n, int seed)
    {
        var random = new Random(seed);
        var all = drive.Descendants(drive.Root).Where(i => !i.Trashed).ToList();
        var folders = all.Where(i => i.IsFolder).ToList();
        var files = all.Where(i => !i.IsFolder).ToList();
        var picked = new HashSet<int>();
        FakeDriveItem PickFile()
        {
            int index;
            do
            {
                index = random.Next(files.Count);
            }
            while (!picked.Add(index));
            return files[index];
        }

        for (var k = 0; k < n; k++)
        {
            var tag = string.Create(CultureInfo.InvariantCulture, $"{seed}-{k:000}");
            switch (k % 4)
            {
                case 0:
                    drive.AddFile(folders[random.Next(folders.Count)], $"new-{tag}.txt");
                    break;
                case 1:
                    drive.Rename(PickFile(), $"renamed-{tag}.txt");
                    break;
                case 2:
                    var file = PickFile();
                    var target = folders[random.Next(folders.Count)];
                    if (target.Id == file.ParentId)
                    {
                        target = folders[(folders.IndexOf(target) + 1) % folders.Count];
                    }

                    drive.Move(file, target); // file names are unique across the tree, so a move never collides
                    break;
                default:
                    drive.Delete(PickFile());
                    break;
            }
        }
    }

    private static (int Count, ulong Digest) Digest(FakeDrive drive)
    {
        var items = drive.Descendants(drive.Root).Where(i => !i.Trashed).ToList();
        var digest = new TreeDigest();
        foreach (var item in items)
        {
            digest.Add(drive.PathOf(item).ToLowerInvariant(), item.IsFolder);
        }

        return (items.Count, digest.Value);
    }

    private static int Int(string value) => int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
}

/// <summary>An order-independent digest of (lower-cased path, folder?) pairs: the sum of their 64-bit FNV-1a hashes.</summary>
internal sealed class TreeDigest
{
    public ulong Value { get; private set; }

    public void Add(string pathLower, bool isFolder)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in pathLower)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash = (hash ^ (isFolder ? 'd' : 'f')) * 1099511628211UL;
        Value = unchecked(Value + hash);
    }
}
