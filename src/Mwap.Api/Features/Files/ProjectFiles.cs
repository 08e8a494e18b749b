using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Files;

/// <summary>
/// <c>GET /projects/{id}/files</c> from the index (or live from the provider, see <see cref="ProjectLiveFiles"/>).
/// Everything is scoped to the project's integration and folder: ids or paths outside it are refused or not found.
/// </summary>
internal sealed class ProjectFiles(MwapDbContext db, ProjectFolders folders, ProjectLiveFiles liveFiles, SealedCursors cursors, FilesPageCache pages)
{
    // Only the response's columns (and the name key a cursor needs), straight into the response record: no entity
    // with its seven other columns per row (a search page is read once; the allocations were half its cost).
    private static readonly Expression<Func<VirtualFile, IndexedFile>> ToIndexedFile = f => new IndexedFile(
        new FileResponse(f.Id, f.Name, f.Path ?? "", f.MimeType, f.IsFolder, f.Size, f.ModifiedTime, f.Checksum, f.ProviderFileId), f.NameLower);

    /// <summary>The same query as <see cref="Filtered"/> and <see cref="Page"/> give for a search's first page by name.</summary>
    private static readonly Func<MwapDbContext, string, string, string?, string, int, IAsyncEnumerable<IndexedFile>> FirstSearchPage =
        EF.CompileAsyncQuery((MwapDbContext db, string tenantId, string integrationId, string? prefix, string pattern, int take) =>
            db.Set<VirtualFile>().AsNoTracking()
                .Where(f => f.TenantId == tenantId && f.IntegrationId == integrationId && f.Path != null)
                .Where(f => prefix == null || f.PathLower!.StartsWith(prefix))
                .Where(f => EF.Functions.Like(f.NameLower, pattern, "\\"))
                .OrderBy(f => f.NameLower).ThenBy(f => f.Id)
                .Take(take)
                .Select(ToIndexedFile));

    public async Task<FilesPage> ListAsync(string projectId, FileListQuery query, CancellationToken cancellationToken)
    {
        var scope = await folders.ProjectAsync(projectId, cancellationToken);
        var options = FileQueryParser.Parse(query);
        var folder = await folders.ResolveAsync(scope, query.FolderId, query.Path, options.Live, cancellationToken);
        if (options.Live)
        {
            return await liveFiles.ListAsync(scope, folder, options, cancellationToken);
        }

        return await pages.GetOrLoadAsync(scope.Project, folder, options, () => FromIndexAsync(scope.Project, folder, options, cancellationToken));
    }

    private async Task<FilesPage> FromIndexAsync(ProjectRef project, FolderRef folder, FileListOptions options, CancellationToken cancellationToken)
    {
        var sort = options.Sort;
        // Our keyset position is sealed like a provider's token, bound to this project, folder and sort order.
        var binding = CursorBinding.Of("files", project.CloudIntegrationId, project.Id, folder.PathLower, sort.Key);
        FileCursor? after = null;
        if (options.Cursor is { } cursor)
        {
            after = cursors.TryOpen(cursor, binding, out var position)
                ? FileCursor.Decode(position, sort.Key)
                : throw FileQueryParser.Invalid("cursor", "cursor is invalid, expired, or belongs to another listing");
        }

        var limit = options.Limit;
        // LIKE '%term%' (escaped) rather than Contains, which Npgsql may translate to strpos(): PostgreSQL's trigram
        // index on name_lower serves LIKE, not strpos.
        var pattern = options.Search is { } search
            ? "%" + search.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%"
            : null;
        var prefix = folder.PathLower.Length == 0 ? null : folder.PathLower + "/";
        List<IndexedFile> rows;
        if (pattern is not null && after is null && sort.Key == "name" && options.Type == "all" && db.Database.IsNpgsql())
        {
            // A search's first page, as MWAP's client asks for it, is the one most often new (issue 13): compiled once,
            // it skips EF's per-query walk and hashing of the expression tree (a sixth of the request's CPU).
            rows = [];
            await foreach (var row in FirstSearchPage(db, project.TenantId, project.CloudIntegrationId, prefix, pattern, limit + 1).WithCancellation(cancellationToken))
            {
                rows.Add(row);
            }
        }
        else
        {
            rows = await Page(Filtered(project, folder, options, prefix, pattern), sort, after, limit + 1).ToListAsync(cancellationToken);
        }

        var hasMore = rows.Count > limit;
        if (hasMore)
        {
            rows.RemoveAt(limit);
        }

        var data = new FileResponse[rows.Count];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = rows[i].File;
        }

        return new FilesPage(data, hasMore ? cursors.Seal(FileCursor.Encode(sort.Key, rows[^1].File, rows[^1].NameLower), binding) : null, hasMore);
    }

    private IQueryable<VirtualFile> Filtered(ProjectRef project, FolderRef folder, FileListOptions options, string? prefix, string? pattern)
    {
        var files = Source(options.Search).AsNoTracking()
            .Where(f => f.TenantId == project.TenantId && f.IntegrationId == project.CloudIntegrationId && f.Path != null);
        if (pattern is not null || options.Recursive)
        {
            files = prefix is null ? files : files.Where(f => f.PathLower!.StartsWith(prefix));
            files = pattern is null ? files : files.Where(f => EF.Functions.Like(f.NameLower, pattern, "\\"));
        }
        else
        {
            files = files.Where(f => f.ParentPathLower == folder.PathLower);
        }

        return options.Type switch
        {
            "files" => files.Where(f => !f.IsFolder),
            "folders" => files.Where(f => f.IsFolder),
            _ => files,
        };
    }

    private static IQueryable<IndexedFile> Page(IQueryable<VirtualFile> files, FileSort sort, FileCursor? after, int take) =>
        sort.Apply(files, after).Take(take).Select(ToIndexedFile);

    private sealed record IndexedFile(FileResponse File, string NameLower);

    /// <summary>
    /// The rows a search may match. On SQLite a term of three characters or more is looked up in the FTS5 trigram index
    /// on names (migration <c>I13SqliteFileNameFts</c>): a phrase of the term's trigrams, bound as a parameter, quoted
    /// so nothing in it is query syntax. The <c>LIKE</c> that follows stays the authority; the index only narrows
    /// the rows it reads. PostgreSQL's trigram index serves the <c>LIKE</c> itself.
    /// </summary>
    private IQueryable<VirtualFile> Source(string? search)
    {
        if (search is null || search.EnumerateRunes().Take(3).Count() < 3 || !db.Database.IsSqlite())
        {
            return db.Set<VirtualFile>();
        }

        var phrase = "\"" + search.ToLowerInvariant().Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        return db.Set<VirtualFile>().FromSql(
            $"SELECT * FROM virtual_files WHERE rowid IN (SELECT rowid FROM virtual_files_name_fts WHERE virtual_files_name_fts MATCH {phrase})");
    }
}
