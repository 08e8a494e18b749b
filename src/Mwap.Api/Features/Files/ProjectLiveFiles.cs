using Mwap.Api.Features.Files.Sync;

namespace Mwap.Api.Features.Files;

/// <summary><c>GET /projects/{id}/files?live=true</c>: one page of a project folder's children, straight from the provider.</summary>
internal sealed class ProjectLiveFiles(ProjectFileSources sources)
{
    private const int MaxCursorLength = 4000;

    public async Task<FilesPage> ListAsync(ProjectScope scope, FolderRef folder, FileListOptions options, CancellationToken cancellationToken)
    {
        var project = scope.Project;
        var source = await sources.ForProjectAsync(project, cancellationToken);
        if (options.Cursor is { Length: > MaxCursorLength })
        {
            throw FileQueryParser.Invalid("cursor", "cursor is invalid");
        }

        var page = await source.ListLiveAsync(sources.Caller(project.CloudIntegrationId), new LiveFolder(folder.ProviderId, folder.Path), options.Cursor, options.Limit, cancellationToken);
        var items = page.Items
            .Where(i => options.Type == "all" || (options.Type == "folders") == i.IsFolder)
            .Select(i => new FileResponse(i.Id, i.Name, i.Path ?? folder.Path + "/" + i.Name, i.MimeType, i.IsFolder, i.Size, i.ModifiedTime, i.Checksum, i.Id))
            .ToList();
        return new FilesPage(items, page.NextPageToken, page.NextPageToken is not null);
    }
}
