using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Files;

/// <summary>Download links for a project's files, and the proxy that streams files for providers without such links.</summary>
internal sealed class ProjectFileDownloads(MwapDbContext db, ProjectFolders folders, ProjectFileSources sources, DownloadTokens downloads)
{
    private const string GoogleNativePrefix = "application/vnd.google-apps.";

    public async Task<DownloadResponse> GetDownloadAsync(string projectId, string fileId, string baseUrl, CancellationToken cancellationToken)
    {
        var scope = await folders.ProjectAsync(projectId, cancellationToken);
        var file = await folders.FindAsync(scope, fileId, cancellationToken)
            ?? throw new NotFoundException("file/not-found", "File not found");
        if (file.IsFolder)
        {
            throw new BadRequestException("file/is-folder", "Folders cannot be downloaded");
        }

        if (file.MimeType.StartsWith(GoogleNativePrefix, StringComparison.Ordinal))
        {
            throw new BadRequestException("file/not-downloadable", "Google Docs editor files have no binary content to download");
        }

        var project = scope.Project;
        var source = await sources.ForProjectAsync(project, cancellationToken);
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
        var response = await source.OpenContentAsync(sources.Caller(integration.Id), grant.ProviderFileId, cancellationToken);
        return (response, grant);
    }

    public static NotFoundException LinkExpired() => new("file/link-expired", "The download link is invalid or has expired");
}
