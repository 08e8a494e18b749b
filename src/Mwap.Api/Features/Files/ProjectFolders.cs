using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Projects;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Files;

/// <summary>What the files routes need of a project: its ids and its folder.</summary>
internal sealed record ProjectRef(string Id, string TenantId, string CloudIntegrationId, string FolderPath);

/// <summary>A project with its folder scope.</summary>
internal sealed record ProjectScope(ProjectRef Project, ProjectFolderScope Folder);

/// <summary>A folder of the project: its index path and, when indexed, its provider id.</summary>
internal sealed record FolderRef(string Path, string PathLower, string? ProviderId);

/// <summary>
/// Finds the project, its folders and its files in the index, always through <see cref="ProjectFolderScope"/>: an id
/// or path outside the project's folder is not found, whatever the integration can see.
/// </summary>
internal sealed class ProjectFolders(MwapDbContext db, ProjectReadCache projects)
{
    private const int MaxFileIdLength = 512;

    public async Task<ProjectScope> ProjectAsync(string projectId, CancellationToken cancellationToken)
    {
        // From the project read cache (invalidated on every project write): the files listing is a hot route, and
        // this saves it a round trip (issue 13).
        var project = await projects.GetAsync(db, projectId, cancellationToken)
            ?? throw new NotFoundException("file/project-not-found", "Project not found");
        return new ProjectScope(
            new ProjectRef(project.Id, project.TenantId, project.CloudIntegrationId, project.FolderPath),
            new ProjectFolderScope(project.FolderPath));
    }

    /// <summary>The folder a listing asks for, by id or by path (the project's folder when neither is given).</summary>
    public async Task<FolderRef> ResolveAsync(ProjectScope scope, string? folderId, string? path, bool live, CancellationToken cancellationToken)
    {
        var (project, folder) = scope;
        if (!string.IsNullOrWhiteSpace(folderId))
        {
            var found = await FindAsync(scope, folderId.Trim(), cancellationToken)
                ?? throw new NotFoundException("file/folder-not-found", "Folder not found in this project");
            return found.IsFolder
                ? new FolderRef(found.Path!, found.PathLower!, found.ProviderFileId)
                : throw FileQueryParser.Invalid("folderId", "folderId is not a folder");
        }

        var scoped = folder.Resolve(path);
        switch (scoped.Kind)
        {
            case ScopedPathKind.Root when string.IsNullOrWhiteSpace(path) || path.Trim() == "/":
                // The index lists the root by its path alone; only a live listing needs the folder's provider id.
                return live ? await FolderAtAsync(project, folder.Root, folder.RootLower, cancellationToken) ?? RootRef(folder) : RootRef(folder);
            case ScopedPathKind.Root:
                return await FolderAtAsync(project, folder.Root, folder.RootLower, cancellationToken) ?? RootRef(folder);
            case ScopedPathKind.RelativeIfExists:
                // "/sub" read as relative to the project's folder, when such a folder exists there.
                return await FolderAtAsync(project, scoped.Path, scoped.PathLower, cancellationToken) ?? throw ProjectFolderScope.Outside();
            default:
                return await FolderAtAsync(project, scoped.Path, scoped.PathLower, cancellationToken)
                    ?? throw new NotFoundException("file/folder-not-found", "Folder not found in this project");
        }
    }

    /// <summary>A file or folder of the project by our id or the provider's; null when unknown or outside the project's folder.</summary>
    public async Task<VirtualFile?> FindAsync(ProjectScope scope, string fileId, CancellationToken cancellationToken)
    {
        if (fileId.Length > MaxFileIdLength)
        {
            return null;
        }

        var project = scope.Project;
        var files = db.Set<VirtualFile>().AsNoTracking().Where(f => f.TenantId == project.TenantId && f.IntegrationId == project.CloudIntegrationId && f.Path != null);
        var file = ObjectId.IsValid(fileId)
            ? await files.FirstOrDefaultAsync(f => f.Id == ObjectId.Normalize(fileId), cancellationToken)
            : null;
        file ??= await files.FirstOrDefaultAsync(f => f.ProviderFileId == fileId, cancellationToken);
        return file is not null && scope.Folder.Contains(file.PathLower) ? file : null;
    }

    private static FolderRef RootRef(ProjectFolderScope folder) => new(folder.Root, folder.RootLower, null);

    private async Task<FolderRef?> FolderAtAsync(ProjectRef project, string path, string pathLower, CancellationToken cancellationToken)
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
}
