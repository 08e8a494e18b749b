using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Files.Sync;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Files;

/// <summary>Download links for a project's files, and the proxy that streams files for providers without such links.</summary>
internal sealed class ProjectFileDownloads(MwapDbContext db, ProjectFolders folders, ProjectFileSources sources, DownloadTokens downloads)
{
    public async Task<DownloadResponse> GetDownloadAsync(string projectId, string fileId, string? format, string baseUrl, CancellationToken cancellationToken)
    {
        var scope = await folders.ProjectAsync(projectId, cancellationToken);
        var file = await folders.FindAsync(scope, fileId, cancellationToken)
            ?? throw new NotFoundException("file/not-found", "File not found");
        if (file.IsFolder)
        {
            throw new BadRequestException("file/is-folder", "Folders cannot be downloaded");
        }

        var project = scope.Project;
        if (ExportFormats.IsNative(file.MimeType))
        {
            // Docs-editor files stream through the proxy as an export (Drive's export needs our token too).
            var (exportMime, extension) = ExportFormats.Resolve(file.MimeType, format);
            var name = file.Name.EndsWith("." + extension, StringComparison.OrdinalIgnoreCase) ? file.Name : $"{file.Name}.{extension}";
            var (exportToken, exportExpires) = downloads.Issue(project.CloudIntegrationId, file, exportMime, name);
            return new DownloadResponse($"{baseUrl}/api/v1/downloads?token={Uri.EscapeDataString(exportToken)}", exportExpires, name, null, exportMime);
        }

        var (_, source) = await sources.ForProjectAsync(project, cancellationToken);
        var link = await source.GetDownloadLinkAsync(sources.Caller(project.CloudIntegrationId), file.ProviderFileId, file.Path, cancellationToken);
        if (link is not null)
        {
            return new DownloadResponse(link.Url, link.ExpiresAt, file.Name, file.Size, file.MimeType);
        }

        // Drive has no link a client can use without our token: hand out a short-lived link to our own proxy.
        var (token, expires) = downloads.Issue(project.CloudIntegrationId, file);
        return new DownloadResponse($"{baseUrl}/api/v1/downloads?token={Uri.EscapeDataString(token)}", expires, file.Name, file.Size, file.MimeType);
    }

    /// <summary>Streams a file through the server for a proxy link issued by <see cref="GetDownloadAsync"/>.</summary>
    public async Task<(HttpResponseMessage Response, DownloadGrant Grant)> OpenProxyAsync(string token, CancellationToken cancellationToken)
    {
        var grant = downloads.Read(token) ?? throw LinkExpired();
        var integration = await db.Set<CloudIntegration>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == grant.IntegrationId, cancellationToken)
            ?? throw LinkExpired();
        var source = await sources.ForProviderAsync(integration.ProviderId, cancellationToken);
        if (grant.ExportMimeType.Length == 0)
        {
            return (await source.OpenContentAsync(sources.Caller(integration.Id), grant.ProviderFileId, cancellationToken), grant);
        }

        try
        {
            return (await source.OpenExportAsync(sources.Caller(integration.Id), grant.ProviderFileId, grant.ExportMimeType, cancellationToken), grant);
        }
        catch (ExportTooLargeException)
        {
            throw new ConflictException("file/export-too-large", "The document is larger than the provider exports (10 MB); download it in another format or from the provider");
        }
    }

    public static NotFoundException LinkExpired() => new("file/link-expired", "The download link is invalid or has expired");
}
