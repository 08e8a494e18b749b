using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Files.Sync;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Integrations.Providers;
using Mwap.Api.Features.Integrations.Tokens;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Files;

/// <summary>A project's integration and the provider's file source behind it.</summary>
internal sealed record ProjectSource(CloudIntegration Integration, IFileSyncSource Source);

/// <summary>The provider behind a project's integration, and a caller that runs requests with its tokens.</summary>
internal sealed class ProjectFileSources(MwapDbContext db, TokenService tokens, IEnumerable<IFileSyncSource> sources)
{
    /// <summary>The project's provider; the integration must still hold a usable grant.</summary>
    public async Task<ProjectSource> ForProjectAsync(ProjectRef project, CancellationToken cancellationToken)
    {
        var integration = await db.Set<CloudIntegration>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == project.CloudIntegrationId, cancellationToken)
            ?? throw new NotFoundException("file/cloud-integration-not-found", "The project's cloud integration was not found");
        if (integration.EncryptedAccessToken is null || integration.Status is IntegrationStatus.Expired or IntegrationStatus.Revoked)
        {
            throw new ConflictException("oauth/reconnect-required", "The project's cloud integration needs to be re-authorised");
        }

        return new ProjectSource(integration, await ForProviderAsync(integration.ProviderId, cancellationToken));
    }

    public async Task<IFileSyncSource> ForProviderAsync(string providerId, CancellationToken cancellationToken)
    {
        var provider = await db.Set<CloudProvider>().AsNoTracking().FirstAsync(p => p.Id == providerId, cancellationToken);
        var kind = ProviderRegistry.KindOf(provider);
        return sources.FirstOrDefault(s => s.Kind == kind)
            ?? throw new BadRequestException("file/cloud-provider-error", $"Unsupported cloud provider: {provider.Slug}");
    }

    public IntegrationCaller Caller(string integrationId) => new(tokens, integrationId);
}
