using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Mwap.FakeProviders.Dropbox;

/// <summary>
/// What a list_folder cursor carries: the folder (by id) and its options, the cursor generation, and either a listing
/// offset or a change-feed position. The last listing page hands out a change cursor positioned at the version the
/// listing started from, so changes made during the walk are reported by the next <c>continue</c>.
/// </summary>
internal sealed record DropboxCursor(string FolderId, bool Recursive, int Limit, int Generation, bool Listing, long Since,
    int Offset, int Page)
{
    private const string Magic = "AAH";

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('\n', Magic, FolderId, Recursive, Limit,
        Generation.ToString(CultureInfo.InvariantCulture), Listing, Since.ToString(CultureInfo.InvariantCulture),
        Offset.ToString(CultureInfo.InvariantCulture), Page.ToString(CultureInfo.InvariantCulture))));

    public static DropboxCursor? TryDecode(string? token)
    {
        if (string.IsNullOrEmpty(token) || !Base64Url.IsValid(token))
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('\n');
        return parts is [Magic, var folderId, var recursive, var limit, var generation, var listing, var since, var offset, var page]
            && bool.TryParse(recursive, out var isRecursive) && bool.TryParse(listing, out var isListing)
            && int.TryParse(limit, CultureInfo.InvariantCulture, out var limitValue)
            && int.TryParse(generation, CultureInfo.InvariantCulture, out var generationValue)
            && long.TryParse(since, CultureInfo.InvariantCulture, out var sinceValue)
            && int.TryParse(offset, CultureInfo.InvariantCulture, out var offsetValue) && offsetValue >= 0
            && int.TryParse(page, CultureInfo.InvariantCulture, out var pageValue) && pageValue >= 0
                ? new DropboxCursor(folderId, isRecursive, limitValue, generationValue, isListing, sinceValue, offsetValue, pageValue)
                : null;
    }
}
