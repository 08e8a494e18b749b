using Mwap.Api.Infrastructure.Http;

namespace Mwap.Api.Features.Files;

/// <summary>How a caller's path was read against the project's folder.</summary>
internal enum ScopedPathKind
{
    /// <summary>The project's folder itself.</summary>
    Root,

    /// <summary>A path inside the project's folder.</summary>
    Inside,

    /// <summary>
    /// An absolute path outside the project's folder, read as relative to it ("/sub" meaning "{root}/sub"): allowed only
    /// when that folder exists there, otherwise refused as outside.
    /// </summary>
    RelativeIfExists,
}

/// <summary>A caller's path confined to the project's folder: <see cref="Path"/> is always inside it.</summary>
internal sealed record ScopedPath(string Path, ScopedPathKind Kind)
{
    public string PathLower { get; } = Path.ToLowerInvariant();
}

/// <summary>
/// The confinement boundary of the files API: the project's folder as an index path ("/A/B", "" for the account root),
/// and the only code that decides whether a path or an indexed item is inside it. Pure, so it is unit tested alone.
/// </summary>
internal sealed record ProjectFolderScope
{
    public const string InvalidPathCode = "file/invalid-path";
    private const int MaxPathLength = 2000;

    public ProjectFolderScope(string folderPath)
    {
        Root = NormalizeRoot(folderPath);
        RootLower = Root.ToLowerInvariant();
    }

    /// <summary>"/A/B" without a trailing slash, "" for the account root.</summary>
    public string Root { get; }

    public string RootLower { get; }

    /// <summary>True when the project's folder is the whole account.</summary>
    public bool IsAccountRoot => Root.Length == 0;

    /// <summary>The project's folder as an index path: "/A/B" without a trailing slash, "" for the account root.</summary>
    public static string NormalizeRoot(string folderPath)
    {
        var segments = folderPath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return segments.Length == 0 ? "" : "/" + string.Join('/', segments);
    }

    /// <summary>Whether an indexed item (by its lower-cased path) is the project's folder or below it.</summary>
    public bool Contains(string? pathLower) =>
        pathLower is not null && (RootLower.Length == 0 || pathLower == RootLower || pathLower.StartsWith(RootLower + "/", StringComparison.Ordinal));

    /// <summary>
    /// Reads a caller's path: relative paths are below the project's folder, absolute ones must be inside it (or are read
    /// as relative, see <see cref="ScopedPathKind.RelativeIfExists"/>). Control characters, backslashes, "." and ".." are
    /// refused, so no path can climb out.
    /// </summary>
    public ScopedPath Resolve(string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Trim() == "/")
        {
            return new ScopedPath(Root, ScopedPathKind.Root);
        }

        var text = path.Trim();
        if (text.Length > MaxPathLength || text.Any(char.IsControl) || text.Contains('\\', StringComparison.Ordinal))
        {
            throw new BadRequestException(InvalidPathCode, "The path is invalid", new Dictionary<string, string> { ["path"] = "path contains characters that are not allowed" });
        }

        var segments = text.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s is "." or ".."))
        {
            throw new BadRequestException(InvalidPathCode, "The path must stay inside the project's folder", new Dictionary<string, string> { ["path"] = "'.' and '..' are not allowed" });
        }

        var joined = "/" + string.Join('/', segments);
        if (!text.StartsWith('/'))
        {
            return Scoped(Root + joined);
        }

        return Contains(joined.ToLowerInvariant()) ? Scoped(joined) : new ScopedPath(Root + joined, ScopedPathKind.RelativeIfExists);
    }

    public static BadRequestException Outside() =>
        new(InvalidPathCode, "The path is outside the project's folder", new Dictionary<string, string> { ["path"] = "path must be inside the project's folder" });

    private ScopedPath Scoped(string candidate) =>
        new(candidate, string.Equals(candidate.ToLowerInvariant(), RootLower, StringComparison.Ordinal) ? ScopedPathKind.Root : ScopedPathKind.Inside);
}
