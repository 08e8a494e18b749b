using Microsoft.EntityFrameworkCore;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Files;

/// <summary>
/// <c>GET /projects/{id}/files</c> from the index (or live from the provider, see <see cref="ProjectLiveFiles"/>).
/// Everything is scoped to the project's integration and folder: ids or paths outside it are refused or not found.
/// </summary>
internal sealed class ProjectFiles(MwapDbContext db, ProjectFolders folders, ProjectLiveFiles liveFiles)
{
    public async Task<FilesPage> ListAsync(string projectId, FileListQuery query, CancellationToken cancellationToken)
    {
        var scope = await folders.ProjectAsync(projectId, cancellationToken);
        var options = FileQueryParser.Parse(query);
        var folder = await folders.ResolveAsync(scope, query.FolderId, query.Path, options.Live, cancellationToken);
        if (options.Live)
        {
            return await liveFiles.ListAsync(scope, folder, options, cancellationToken);
        }

        var project = scope.Project;
        var files = db.Set<VirtualFile>().AsNoTracking()
            .Where(f => f.TenantId == project.TenantId && f.IntegrationId == project.CloudIntegrationId && f.Path != null);
        if (options.Search is { } search || options.Recursive)
        {
            var prefix = folder.PathLower + "/";
            files = folder.PathLower.Length == 0 ? files : files.Where(f => f.PathLower!.StartsWith(prefix));
            if (options.Search is not null)
            {
                var term = options.Search.ToLowerInvariant();
                files = files.Where(f => f.NameLower.Contains(term));
            }
        }
        else
        {
            files = files.Where(f => f.ParentPathLower == folder.PathLower);
        }

        files = options.Type switch
        {
            "files" => files.Where(f => !f.IsFolder),
            "folders" => files.Where(f => f.IsFolder),
            _ => files,
        };

        var sort = options.Sort;
        var after = options.Cursor is { } c ? FileCursor.Decode(c, sort.Key) : null;
        files = sort.Apply(files, after);
        var limit = options.Limit;
        var rows = await files.Take(limit + 1).ToListAsync(cancellationToken);
        var hasMore = rows.Count > limit;
        if (hasMore)
        {
            rows.RemoveAt(limit);
        }

        return new FilesPage([.. rows.Select(FileResponse.From)], hasMore ? FileCursor.Encode(sort.Key, rows[^1]) : null, hasMore);
    }
}
