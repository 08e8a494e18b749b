using System.Text.Json.Nodes;

namespace Mwap.FakeProviders.Drive;

/// <summary>One wire item a logged change expands to; items sharing a dedupe key appear once per page.</summary>
internal readonly record struct FeedItem(string? DedupeKey, Func<JsonObject> Render);

/// <summary>A page of a change feed and where the next one starts: after version <c>After</c>, skipping
/// <c>Skip</c> items of the next change's expansion (a Dropbox folder move can expand to a whole subtree).</summary>
internal sealed record FeedPage(IReadOnlyList<JsonObject> Items, long After, int Skip, bool HasMore);

/// <summary>
/// Pages through a drive's change log. A position is a version, not an offset, so a change made while a client pages
/// moves that item to the end of the feed instead of shifting (and skipping) others.
/// </summary>
internal static class ChangeFeed
{
    public static FeedPage Read(FakeDrive drive, long after, int skip, int size, Func<ChangeView, IReadOnlyList<FeedItem>> expand)
    {
        var items = new List<JsonObject>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var (chunk, head) = drive.ChangesAfter(after, Math.Max(256, size));
            if (chunk.Count == 0)
            {
                // Past the last change: the position becomes the head, which also steps over versions without a change.
                return new FeedPage(items, Math.Max(after, head), 0, false);
            }

            foreach (var view in chunk)
            {
                var expansion = expand(view);
                for (var i = skip; i < expansion.Count; i++)
                {
                    if (items.Count >= size)
                    {
                        return new FeedPage(items, after, i, true);
                    }

                    var item = expansion[i];
                    if (item.DedupeKey is null || seen.Add(item.DedupeKey))
                    {
                        items.Add(item.Render());
                    }
                }

                after = view.Change.Version;
                skip = 0;
            }
        }
    }
}
