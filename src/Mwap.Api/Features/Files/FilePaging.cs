using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Files;

/// <summary>Keyset paging on (sort key, id): stable while rows change, unlike offsets.</summary>
internal sealed record FileSort(string Key)
{
    public IQueryable<VirtualFile> Apply(IQueryable<VirtualFile> files, FileCursor? after) => Key switch
    {
        "name" => (after is null ? files : files.Where(f => string.Compare(f.NameLower, after.Text) > 0 || (f.NameLower == after.Text && string.Compare(f.Id, after.Id) > 0)))
            .OrderBy(f => f.NameLower).ThenBy(f => f.Id),
        "-name" => (after is null ? files : files.Where(f => string.Compare(f.NameLower, after.Text) < 0 || (f.NameLower == after.Text && string.Compare(f.Id, after.Id) < 0)))
            .OrderByDescending(f => f.NameLower).ThenByDescending(f => f.Id),
        "modifiedTime" => (after is null ? files : files.Where(f => (f.ModifiedTime ?? DateTime.UnixEpoch) > after.Time || ((f.ModifiedTime ?? DateTime.UnixEpoch) == after.Time && string.Compare(f.Id, after.Id) > 0)))
            .OrderBy(f => f.ModifiedTime ?? DateTime.UnixEpoch).ThenBy(f => f.Id),
        "-modifiedTime" => (after is null ? files : files.Where(f => (f.ModifiedTime ?? DateTime.UnixEpoch) < after.Time || ((f.ModifiedTime ?? DateTime.UnixEpoch) == after.Time && string.Compare(f.Id, after.Id) < 0)))
            .OrderByDescending(f => f.ModifiedTime ?? DateTime.UnixEpoch).ThenByDescending(f => f.Id),
        "size" => (after is null ? files : files.Where(f => (f.Size ?? -1) > after.Number || ((f.Size ?? -1) == after.Number && string.Compare(f.Id, after.Id) > 0)))
            .OrderBy(f => f.Size ?? -1).ThenBy(f => f.Id),
        _ => (after is null ? files : files.Where(f => (f.Size ?? -1) < after.Number || ((f.Size ?? -1) == after.Number && string.Compare(f.Id, after.Id) < 0)))
            .OrderByDescending(f => f.Size ?? -1).ThenByDescending(f => f.Id),
    };
}

/// <summary>The last row of a page: its sort value and id, base64url-encoded with the sort it belongs to.</summary>
internal sealed record FileCursor(string Sort, string Text, DateTime Time, long Number, string Id)
{
    public static string Encode(string sort, FileResponse last, string lastNameLower)
    {
        var value = sort.TrimStart('-') switch
        {
            "name" => lastNameLower,
            "modifiedTime" => (last.ModifiedTime ?? DateTime.UnixEpoch).Ticks.ToString(CultureInfo.InvariantCulture),
            _ => (last.Size ?? -1).ToString(CultureInfo.InvariantCulture),
        };
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{sort}\n{last.Id}\n{value}"));
    }

    public static FileCursor Decode(string cursor, string sort)
    {
        if (cursor.Length > 4000 || !Base64Url.IsValid(cursor))
        {
            throw FileQueryParser.Invalid("cursor", "cursor is invalid");
        }

        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('\n', 3);
        if (parts.Length != 3 || parts[0] != sort || !ObjectId.IsValid(parts[1]))
        {
            throw FileQueryParser.Invalid("cursor", "cursor is invalid or belongs to another sort order");
        }

        var value = parts[2];
        var number = long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : (long?)null;
        if (sort.TrimStart('-') != "name" && number is null)
        {
            throw FileQueryParser.Invalid("cursor", "cursor is invalid");
        }

        var time = sort.TrimStart('-') == "modifiedTime" && number is >= 0 && number <= DateTime.MaxValue.Ticks
            ? new DateTime(number.Value, DateTimeKind.Utc)
            : DateTime.UnixEpoch;
        return new FileCursor(sort, value, time, number ?? 0, parts[1]);
    }
}
