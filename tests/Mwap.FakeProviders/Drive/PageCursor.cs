using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Mwap.FakeProviders.Drive;

/// <summary>Where the next page starts. <see cref="Page"/> counts pages so short-page mode can vary their size.</summary>
internal readonly record struct PageCursor(int Offset, int Page)
{
    /// <summary>
    /// Takes one page. In short-page mode the first page is empty and odd pages are half size, both with more to
    /// come, as the fact sheet says real listings can be: a client that stops on a short page misses items.
    /// </summary>
    public (IReadOnlyList<T> Items, PageCursor? Next) Take<T>(IReadOnlyList<T> all, int pageSize, bool shortPages)
    {
        var size = SizeOf(Page, pageSize, shortPages);
        var items = new List<T>(Math.Max(0, Math.Min(size, all.Count - Offset)));
        for (var i = Offset; i < all.Count && items.Count < size; i++)
        {
            items.Add(all[i]);
        }

        var end = Offset + items.Count;
        return (items, end < all.Count ? new PageCursor(end, Page + 1) : null);
    }

    /// <summary>The size of page number <paramref name="page"/>: in short-page mode page 0 is empty and odd pages are half size.</summary>
    public static int SizeOf(int page, int pageSize, bool shortPages) =>
        !shortPages ? pageSize : page == 0 ? 0 : page % 2 == 1 ? Math.Max(1, pageSize / 2) : pageSize;

    /// <summary>Opaque token: base64url of the scope it belongs to plus the position.</summary>
    public string Encode(string scope) => Base64Url.EncodeToString(
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{scope}\n{Offset}\n{Page}")));

    public static bool TryDecode(string? token, string scope, out PageCursor cursor) =>
        TryDecode(token, out var actualScope, out cursor) && actualScope == scope;

    /// <summary>Self-describing cursors (Dropbox): the scope travels inside the token.</summary>
    public static bool TryDecode(string? token, out string scope, out PageCursor cursor)
    {
        cursor = default;
        scope = "";
        if (string.IsNullOrEmpty(token) || !Base64Url.IsValid(token))
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('\n');
        if (parts.Length != 3
            || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var offset)
            || !int.TryParse(parts[2], CultureInfo.InvariantCulture, out var page) || offset < 0 || page < 0)
        {
            return false;
        }

        scope = parts[0];
        cursor = new PageCursor(offset, page);
        return true;
    }
}
