using Mwap.Api.Features.Files.Sync;
using Mwap.Api.Features.Integrations.GoogleDrive;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Files;

/// <summary>
/// <c>GET /projects/{id}/files?live=true</c>: one page of a project folder's children, straight from the provider.
/// The provider's page token never leaves the server in the clear: the caller gets it sealed and bound to this
/// integration, project and folder, so a cursor cannot name another folder (or, for Graph, another URL).
/// </summary>
internal sealed class ProjectLiveFiles(ProjectFileSources sources, SealedCursors cursors)
{
    private const string CursorKind = "files-live";

    public async Task<FilesPage> ListAsync(ProjectScope scope, FolderRef folder, FileListOptions options, CancellationToken cancellationToken)
    {
        var project = scope.Project;
        var binding = CursorBinding.Of(CursorKind, project.CloudIntegrationId, project.Id, folder.ProviderId, folder.PathLower);
        string? pageToken = null;
        if (options.Cursor is { } cursor && !cursors.TryOpen(cursor, binding, out pageToken))
        {
            throw FileQueryParser.Invalid("cursor", "cursor is invalid, expired, or belongs to another listing");
        }

        var (integration, source) = await sources.ForProjectAsync(project, cancellationToken);
        if (folder.ProviderId is null && folder.PathLower.Length > 0 && source.Kind == GoogleDriveClient.Slug)
        {
            // Drive addresses folders only by id: without one, the only folder it could list is the drive's root, which
            // is not this project's folder.
            throw new NotFoundException("file/folder-not-found", "Folder not found in this project");
        }

        var page = await source.ListLiveAsync(sources.Caller(project.CloudIntegrationId), new LiveFolder(folder.ProviderId, folder.Path), pageToken, options.Limit, cancellationToken);
        var items = page.Items
            .Where(i => IsChildOf(i, folder, integration.Sync.RootId))
            .Where(i => options.Type == "all" || (options.Type == "folders") == i.IsFolder)
            .Select(i => new FileResponse(i.Id, i.Name, i.Path ?? folder.Path + "/" + i.Name, i.MimeType, i.IsFolder, i.Size, i.ModifiedTime, i.Checksum, i.Id))
            .ToList();
        var next = page.NextPageToken is { } token ? cursors.Seal(token, binding) : null;
        return new FilesPage(items, next, next is not null);
    }

    /// <summary>
    /// Whether a listed item's parent is the folder asked for: by its path (Dropbox) or its parent's id (Drive, Graph).
    /// Anything else is dropped, whatever the provider returned.
    /// </summary>
    internal static bool IsChildOf(RemoteItem item, FolderRef folder, string? accountRootId)
    {
        if (item.Path is { } path)
        {
            var lower = path.ToLowerInvariant();
            var slash = lower.LastIndexOf('/');
            return slash >= 0 && lower[..slash] == folder.PathLower && lower.Length > slash + 1;
        }

        if (item.ParentId is not { } parent)
        {
            return false;
        }

        if (folder.ProviderId is { } folderId)
        {
            return parent == folderId;
        }

        if (folder.PathLower.Length > 0)
        {
            // Graph listed a folder the index does not know yet by its (confined) path: the provider resolved the parent,
            // and the folder's id is not known to compare with.
            return true;
        }

        // The account root: its id is known after the first sync; before that, the whole account is the project's
        // folder anyway.
        return accountRootId is null || parent == accountRootId;
    }
}
