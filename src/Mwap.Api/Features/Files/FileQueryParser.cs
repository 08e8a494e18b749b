using System.Globalization;
using Mwap.Api.Infrastructure.Http;

namespace Mwap.Api.Features.Files;

/// <summary>A file listing's options after parsing: every value checked, so the listing itself never sees raw text.</summary>
internal sealed record FileListOptions(int Limit, string Type, FileSort Sort, bool Live, bool Recursive, string? Search, string? Cursor);

/// <summary>Parses and checks <c>GET /projects/{id}/files</c> query parameters; anything unexpected is 400 <c>file/invalid-query</c>.</summary>
internal static class FileQueryParser
{
    public const string InvalidQueryCode = "file/invalid-query";
    public const int MaxLimit = 1000;
    public const int MaxSearchLength = 200;
    private const int DefaultLimit = 100;

    public static FileListOptions Parse(FileListQuery query)
    {
        var limit = ParseLimit(query.Limit);
        var type = (query.Type?.Trim().ToLowerInvariant()) switch
        {
            null or "" or "all" or "both" => "all",
            "files" or "file" => "files",
            "folders" or "folder" => "folders",
            _ => throw Invalid("type", "type must be files, folders or all"),
        };
        var sort = ParseSort(query.Sort, query.Order);
        var live = ParseBool(query.Live, "live");
        var recursive = ParseBool(query.Recursive, "recursive");
        var search = string.IsNullOrWhiteSpace(query.Search) ? null : query.Search.Trim();
        if (search is { Length: > MaxSearchLength })
        {
            throw Invalid("search", $"search must be at most {MaxSearchLength} characters");
        }

        return new FileListOptions(limit, type, sort, live, recursive, search, string.IsNullOrEmpty(query.Cursor) ? null : query.Cursor);
    }

    public static BadRequestException Invalid(string field, string message) =>
        new(InvalidQueryCode, "Invalid query parameters", new Dictionary<string, string> { [field] = message });

    private static int ParseLimit(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultLimit;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit
            ? limit
            : throw Invalid("limit", $"limit must be a whole number from 1 to {MaxLimit}");
    }

    private static bool ParseBool(string? value, string name) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "false" or "0" => false,
        "true" or "1" => true,
        _ => throw Invalid(name, $"{name} must be true or false"),
    };

    private static FileSort ParseSort(string? sort, string? order)
    {
        var text = sort?.Trim() ?? "";
        var descending = text.StartsWith('-');
        var key = descending ? text[1..] : text;
        descending |= order?.Trim().ToLowerInvariant() switch
        {
            null or "" or "asc" => false,
            "desc" => true,
            _ => throw Invalid("order", "order must be asc or desc"),
        };
        return key.ToLowerInvariant() switch
        {
            "" or "name" => new FileSort(descending ? "-name" : "name"),
            "modifiedtime" or "modified" => new FileSort(descending ? "-modifiedTime" : "modifiedTime"),
            "size" => new FileSort(descending ? "-size" : "size"),
            _ => throw Invalid("sort", "sort must be name, modifiedTime or size, optionally prefixed with '-'"),
        };
    }
}
