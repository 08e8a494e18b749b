using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Files.Sync;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Integrations.Providers;
using Mwap.Api.Features.Integrations.Tokens;
using Mwap.Api.Features.Projects;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Files;

/// <summary>The guide's file fields; <c>type</c> is the MIME type.</summary>
internal sealed record FileResponse(
    [property: JsonPropertyName("_id")] string Id,
    string Name,
    string Path,
    string Type,
    bool IsFolder,
    long? Size,
    DateTime? ModifiedTime,
    string? Checksum,
    string ProviderFileId)
{
    public static FileResponse From(VirtualFile f) =>
        new(f.Id, f.Name, f.Path ?? "", f.MimeType, f.IsFolder, f.Size, f.ModifiedTime, f.Checksum, f.ProviderFileId);
}

/// <summary>MWAP's paged list shape: the envelope with <c>nextCursor</c> and <c>hasMore</c> at the top level.</summary>
internal sealed record FilesPage(IReadOnlyList<FileResponse> Data, string? NextCursor, bool HasMore)
{
    [JsonPropertyOrder(-1)]
#pragma warning disable CA1822 // serialised as an instance property
    public bool Success => true;
#pragma warning restore CA1822
}

internal sealed record FileListQuery(string? FolderId, string? Path, string? Search, string? Type, string? Sort, string? Order, string? Limit,
    string? Cursor, string? Live, string? Recursive);

internal sealed record DownloadResponse(string Url, DateTime ExpiresAt, string Name, long? Size, string Type);

/// <summary>
/// <c>GET /projects/{id}/files</c> from the index (or live from the provider) and download links. Everything is
/// scoped to the project's integration and folder: ids or paths outside it are refused or not found.
/// </summary>
internal sealed class ProjectFiles(MwapDbContext db, TokenService tokens, IEnumerable<IFileSyncSource> sources, DownloadTokens downloads)
{
    public const string InvalidQueryCode = "file/invalid-query";
    public const string InvalidPathCode = "file/invalid-path";
    public const int MaxLimit = 1000;
    private const int DefaultLimit = 100;
    private const string GoogleNativePrefix = "application/vnd.google-apps.";

    public async Task<FilesPage> ListAsync(string projectId, FileListQuery query, CancellationToken cancellationToken)
    {
        var (project, root) = await ProjectAsync(projectId, cancellationToken);
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
        if (search is { Length: > 200 })
        {
            throw Invalid("search", "search must be at most 200 characters");
        }

        var folder = await ResolveFolderAsync(project, root, query.FolderId, query.Path, live, cancellationToken);
        if (live)
        {
            return await ListLiveAsync(project, folder, query.Cursor, limit, type, cancellationToken);
        }

        var files = db.Set<VirtualFile>().AsNoTracking()
            .Where(f => f.TenantId == project.TenantId && f.IntegrationId == project.CloudIntegrationId && f.Path != null);
        if (search is not null || recursive)
        {
            var prefix = folder.PathLower + "/";
            files = folder.PathLower.Length == 0 ? files : files.Where(f => f.PathLower!.StartsWith(prefix));
            if (search is not null)
            {
                // LIKE '%term%' (escaped) rather than Contains, which Npgsql may translate to strpos(): PostgreSQL's
                // trigram index on name_lower serves LIKE, not strpos (issue 13).
                var pattern = "%" + search.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal)
                    .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
                files = files.Where(f => EF.Functions.Like(f.NameLower, pattern, "\\"));
            }
        }
        else
        {
            files = files.Where(f => f.ParentPathLower == folder.PathLower);
        }

        files = type switch
        {
            "files" => files.Where(f => !f.IsFolder),
            "folders" => files.Where(f => f.IsFolder),
            _ => files,
        };

        var after = query.Cursor is { Length: > 0 } c ? FileCursor.Decode(c, sort.Key) : null;
        files = sort.Apply(files, after);
        var rows = await files.Take(limit + 1).ToListAsync(cancellationToken);
        var hasMore = rows.Count > limit;
        if (hasMore)
        {
            rows.RemoveAt(limit);
        }

        return new FilesPage([.. rows.Select(FileResponse.From)], hasMore ? FileCursor.Encode(sort.Key, rows[^1]) : null, hasMore);
    }

    public async Task<DownloadResponse> GetDownloadAsync(string projectId, string fileId, string baseUrl, CancellationToken cancellationToken)
    {
        var (project, root) = await ProjectAsync(projectId, cancellationToken);
        var file = await FindInProjectAsync(project, root, fileId, cancellationToken)
            ?? throw new NotFoundException("file/not-found", "File not found");
        if (file.IsFolder)
        {
            throw new BadRequestException("file/is-folder", "Folders cannot be downloaded");
        }

        if (file.MimeType.StartsWith(GoogleNativePrefix, StringComparison.Ordinal))
        {
            throw new BadRequestException("file/not-downloadable", "Google Docs editor files have no binary content to download");
        }

        var source = await SourceAsync(project, cancellationToken);
        try
        {
            var link = await source.GetDownloadLinkAsync(Caller(project), file.ProviderFileId, file.Path, cancellationToken);
            if (link is not null)
            {
                return new DownloadResponse(link.Url, link.ExpiresAt, file.Name, file.Size, file.MimeType);
            }
        }
        catch (ProviderException e)
        {
            throw IntegrationOperations.ProviderFailure(e);
        }

        // Drive has no link a client can use without our token: hand out a short-lived link to our own proxy.
        var (token, expires) = downloads.Issue(project.CloudIntegrationId, file);
        return new DownloadResponse($"{baseUrl}/api/v1/downloads?token={Uri.EscapeDataString(token)}", expires, file.Name, file.Size, file.MimeType);
    }

    /// <summary>Streams a file through the server for a proxy link issued by <see cref="GetDownloadAsync"/>.</summary>
    public async Task<(HttpResponseMessage Response, DownloadGrant Grant)> OpenProxyAsync(string token, CancellationToken cancellationToken)
    {
        var grant = downloads.Read(token) ?? throw new NotFoundException("file/link-expired", "The download link is invalid or has expired");
        var integration = await db.Set<CloudIntegration>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == grant.IntegrationId, cancellationToken)
            ?? throw new NotFoundException("file/link-expired", "The download link is invalid or has expired");
        var provider = await db.Set<CloudProvider>().AsNoTracking().FirstAsync(p => p.Id == integration.ProviderId, cancellationToken);
        var source = Source(provider);
        try
        {
            var response = await source.OpenContentAsync(new IntegrationCaller(tokens, integration.Id), grant.ProviderFileId, cancellationToken);
            return (response, grant);
        }
        catch (ProviderException e)
        {
            throw IntegrationOperations.ProviderFailure(e);
        }
    }

    private async Task<FilesPage> ListLiveAsync(Project project, FolderRef folder, string? cursor, int limit, string type, CancellationToken cancellationToken)
    {
        var source = await SourceAsync(project, cancellationToken);
        if (cursor is { Length: > 4000 })
        {
            throw Invalid("cursor", "cursor is invalid");
        }

        try
        {
            var page = await source.ListLiveAsync(Caller(project), new LiveFolder(folder.ProviderId, folder.Path), string.IsNullOrEmpty(cursor) ? null : cursor, limit, cancellationToken);
            var items = page.Items
                .Where(i => type == "all" || (type == "folders") == i.IsFolder)
                .Select(i => new FileResponse(i.Id, i.Name, i.Path ?? folder.Path + "/" + i.Name, i.MimeType, i.IsFolder, i.Size, i.ModifiedTime, i.Checksum, i.Id))
                .ToList();
            return new FilesPage(items, page.NextPageToken, page.NextPageToken is not null);
        }
        catch (ProviderException e)
        {
            throw IntegrationOperations.ProviderFailure(e);
        }
    }

    private async Task<(Project Project, string RootPath)> ProjectAsync(string projectId, CancellationToken cancellationToken)
    {
        var project = await db.Set<Project>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken)
            ?? throw new NotFoundException("file/project-not-found", "Project not found");
        return (project, NormalizeRoot(project.FolderPath));
    }

    /// <summary>The project's folder as an index path: "/A/B" without a trailing slash, "" for the account root.</summary>
    public static string NormalizeRoot(string folderPath)
    {
        var segments = folderPath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return segments.Length == 0 ? "" : "/" + string.Join('/', segments);
    }

    private sealed record FolderRef(string Path, string PathLower, string? ProviderId);

    private async Task<FolderRef> ResolveFolderAsync(Project project, string root, string? folderId, string? path, bool live, CancellationToken cancellationToken)
    {
        var rootLower = root.ToLowerInvariant();
        if (!string.IsNullOrWhiteSpace(folderId))
        {
            var folder = await FindInProjectAsync(project, root, folderId.Trim(), cancellationToken)
                ?? throw new NotFoundException("file/folder-not-found", "Folder not found in this project");
            return folder.IsFolder
                ? new FolderRef(folder.Path!, folder.PathLower!, folder.ProviderFileId)
                : throw Invalid("folderId", "folderId is not a folder");
        }

        if (string.IsNullOrWhiteSpace(path) || path.Trim() == "/")
        {
            // The index lists the root by its path alone; only a live listing needs the folder's provider id.
            return live ? await FolderAtAsync(project, root, rootLower, cancellationToken) ?? new FolderRef(root, rootLower, null) : new FolderRef(root, rootLower, null);
        }

        var text = path.Trim();
        if (text.Length > 2000 || text.Any(char.IsControl) || text.Contains('\\', StringComparison.Ordinal))
        {
            throw new BadRequestException(InvalidPathCode, "The path is invalid", new Dictionary<string, string> { ["path"] = "path contains characters that are not allowed" });
        }

        var segments = text.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s is "." or ".."))
        {
            throw new BadRequestException(InvalidPathCode, "The path must stay inside the project's folder", new Dictionary<string, string> { ["path"] = "'.' and '..' are not allowed" });
        }

        var joined = "/" + string.Join('/', segments);
        var joinedLower = joined.ToLowerInvariant();
        string candidate;
        if (!text.StartsWith('/'))
        {
            candidate = root + joined;
        }
        else if (rootLower.Length == 0 || joinedLower == rootLower || joinedLower.StartsWith(rootLower + "/", StringComparison.Ordinal))
        {
            candidate = joined;
        }
        else if (await FolderAtAsync(project, root + joined, (root + joined).ToLowerInvariant(), cancellationToken) is { } relative)
        {
            // "/sub" read as relative to the project's folder, when such a folder exists there.
            return relative;
        }
        else
        {
            throw new BadRequestException(InvalidPathCode, "The path is outside the project's folder", new Dictionary<string, string> { ["path"] = "path must be inside the project's folder" });
        }

        var candidateLower = candidate.ToLowerInvariant();
        if (candidateLower == rootLower)
        {
            return await FolderAtAsync(project, root, rootLower, cancellationToken) ?? new FolderRef(root, rootLower, null);
        }

        return await FolderAtAsync(project, candidate, candidateLower, cancellationToken)
            ?? throw new NotFoundException("file/folder-not-found", "Folder not found in this project");
    }

    private async Task<FolderRef?> FolderAtAsync(Project project, string path, string pathLower, CancellationToken cancellationToken)
    {
        if (pathLower.Length == 0)
        {
            return null;
        }

        var row = await db.Set<VirtualFile>().AsNoTracking()
            .Where(f => f.TenantId == project.TenantId && f.IntegrationId == project.CloudIntegrationId && f.PathLower == pathLower && f.IsFolder)
            .Select(f => new { f.Path, f.PathLower, f.ProviderFileId })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new FolderRef(row.Path!, row.PathLower!, row.ProviderFileId);
    }

    private async Task<VirtualFile?> FindInProjectAsync(Project project, string root, string fileId, CancellationToken cancellationToken)
    {
        if (fileId.Length > 512)
        {
            return null;
        }

        var files = db.Set<VirtualFile>().AsNoTracking().Where(f => f.TenantId == project.TenantId && f.IntegrationId == project.CloudIntegrationId && f.Path != null);
        var file = ObjectId.IsValid(fileId)
            ? await files.FirstOrDefaultAsync(f => f.Id == ObjectId.Normalize(fileId), cancellationToken)
            : null;
        file ??= await files.FirstOrDefaultAsync(f => f.ProviderFileId == fileId, cancellationToken);
        var rootLower = root.ToLowerInvariant();
        return file is not null && (rootLower.Length == 0 || file.PathLower == rootLower || file.PathLower!.StartsWith(rootLower + "/", StringComparison.Ordinal))
            ? file
            : null;
    }

    private async Task<IFileSyncSource> SourceAsync(Project project, CancellationToken cancellationToken)
    {
        var integration = await db.Set<CloudIntegration>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == project.CloudIntegrationId, cancellationToken)
            ?? throw new NotFoundException("file/cloud-integration-not-found", "The project's cloud integration was not found");
        if (integration.EncryptedAccessToken is null || integration.Status is IntegrationStatus.Expired or IntegrationStatus.Revoked)
        {
            throw new ConflictException("oauth/reconnect-required", "The project's cloud integration needs to be re-authorised");
        }

        var provider = await db.Set<CloudProvider>().AsNoTracking().FirstAsync(p => p.Id == integration.ProviderId, cancellationToken);
        return Source(provider);
    }

    private IFileSyncSource Source(CloudProvider provider)
    {
        var kind = ProviderRegistry.KindOf(provider);
        return sources.FirstOrDefault(s => s.Kind == kind)
            ?? throw new BadRequestException("file/cloud-provider-error", $"Unsupported cloud provider: {provider.Slug}");
    }

    private IntegrationCaller Caller(Project project) => new(tokens, project.CloudIntegrationId);

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

    public static BadRequestException Invalid(string field, string message) =>
        new(InvalidQueryCode, "Invalid query parameters", new Dictionary<string, string> { [field] = message });
}

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
    public static string Encode(string sort, VirtualFile last)
    {
        var value = sort.TrimStart('-') switch
        {
            "name" => last.NameLower,
            "modifiedTime" => (last.ModifiedTime ?? DateTime.UnixEpoch).Ticks.ToString(CultureInfo.InvariantCulture),
            _ => (last.Size ?? -1).ToString(CultureInfo.InvariantCulture),
        };
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{sort}\n{last.Id}\n{value}"));
    }

    public static FileCursor Decode(string cursor, string sort)
    {
        if (cursor.Length > 4000 || !Base64Url.IsValid(cursor))
        {
            throw ProjectFiles.Invalid("cursor", "cursor is invalid");
        }

        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('\n', 3);
        if (parts.Length != 3 || parts[0] != sort || !ObjectId.IsValid(parts[1]))
        {
            throw ProjectFiles.Invalid("cursor", "cursor is invalid or belongs to another sort order");
        }

        var value = parts[2];
        var number = long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : (long?)null;
        if (sort.TrimStart('-') != "name" && number is null)
        {
            throw ProjectFiles.Invalid("cursor", "cursor is invalid");
        }

        var time = sort.TrimStart('-') == "modifiedTime" && number is >= 0 && number <= DateTime.MaxValue.Ticks
            ? new DateTime(number.Value, DateTimeKind.Utc)
            : DateTime.UnixEpoch;
        return new FileCursor(sort, value, time, number ?? 0, parts[1]);
    }
}
