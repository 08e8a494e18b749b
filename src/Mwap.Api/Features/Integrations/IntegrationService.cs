using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Integrations.Providers;
using Mwap.Api.Features.Projects;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Integrations;

/// <summary>Integration records (spec #11–#15). Every method takes the tenant id first and filters on it.</summary>
internal sealed partial class IntegrationService(MwapDbContext db, IAuditLog audit, ProviderRegistry providers, ISecretProtector secrets, TimeProvider time,
    Tokens.TokenService tokens, ILogger<IntegrationService> logger)
{
    public const string InvalidInputCode = "cloud-integration/invalid-input";

    public async Task<IReadOnlyList<IntegrationResponse>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        var integrations = await db.Set<CloudIntegration>().AsNoTracking().Where(i => i.TenantId == tenantId)
            .OrderBy(i => i.CreatedAt).ToListAsync(cancellationToken);
        var providerIds = integrations.Select(i => i.ProviderId).Distinct().ToList();
        var providers = await db.Set<CloudProvider>().AsNoTracking().Where(p => providerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        return [.. integrations.Select(i => IntegrationResponse.From(i, providers.GetValueOrDefault(i.ProviderId)))];
    }

    public async Task<IntegrationResponse> GetAsync(string tenantId, string integrationId, CancellationToken cancellationToken)
    {
        var integration = await FindAsync(tenantId, integrationId, tracking: false, cancellationToken);
        return IntegrationResponse.From(integration, await ProviderAsync(integration.ProviderId, cancellationToken));
    }

    public async Task<IntegrationResponse> CreateAsync(string tenantId, string actor, CreateIntegrationRequest request, CancellationToken cancellationToken)
    {
        var providerId = request.ProviderId!.ToLowerInvariant();
        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tenantId, cancellationToken)
            ?? throw new NotFoundException("cloud-integration/tenant-not-found", "Tenant not found");
        if (!tenant.Settings.Features.CloudIntegrations)
        {
            throw new ForbiddenException("Cloud integrations are disabled for this tenant", "cloud-integration/feature-disabled");
        }

        var provider = await ProviderAsync(providerId, cancellationToken)
            ?? throw new NotFoundException("cloud-integration/provider-not-found", "Cloud provider not found");
        if (await db.Set<CloudIntegration>().AnyAsync(i => i.TenantId == tenantId && i.ProviderId == providerId, cancellationToken))
        {
            throw AlreadyExists();
        }

        var integration = new CloudIntegration
        {
            Id = ObjectId.NewId(time.GetUtcNow()),
            TenantId = tenantId,
            ProviderId = providerId,
            Status = IntegrationStatus.Pending,
            Metadata = request.Metadata is { ValueKind: JsonValueKind.Object } m ? m.GetRawText() : null,
            CreatedBy = actor,
        };
        db.Add(integration);
        audit.Record("cloud-integration.create", "cloud-integration", integration.Id, tenantId, new { providerId, provider = provider.Slug });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.IsOn(e, CloudIntegrationConfiguration.TenantProviderIndex, CloudIntegration.TableName, "provider_id"))
        {
            throw AlreadyExists();
        }

        return IntegrationResponse.From(integration, provider);
    }

    public async Task<IntegrationResponse> UpdateAsync(string tenantId, string integrationId, UpdateIntegrationRequest request, CancellationToken cancellationToken)
    {
        var integration = await FindAsync(tenantId, integrationId, tracking: true, cancellationToken);
        if (request.Status is { } status)
        {
            // Only a connected integration may be switched back on; activation otherwise comes from the OAuth flow.
            if (status == IntegrationStatus.Active && integration.EncryptedAccessToken is null)
            {
                throw new BadRequestException(InvalidInputCode, "An integration becomes active by completing the OAuth connection");
            }

            integration.Status = status;
        }

        if (request.Metadata is not null)
        {
            integration.Metadata = request.Metadata is { ValueKind: JsonValueKind.Object } m ? m.GetRawText() : null;
        }

        db.Entry(integration).Property(i => i.UpdatedAt).IsModified = true;
        audit.Record("cloud-integration.update", "cloud-integration", integration.Id, tenantId, new { status = request.Status, metadataChanged = request.Metadata is not null });
        await db.SaveChangesAsync(cancellationToken);
        return IntegrationResponse.From(integration, await ProviderAsync(integration.ProviderId, cancellationToken));
    }

    /// <summary>
    /// Refuses while a project uses the integration; otherwise revokes its grant at the provider (where the provider can)
    /// and deletes it with its unfinished flows. A failed revocation is recorded but does not keep the tokens alive here.
    /// </summary>
    public async Task DeleteAsync(string tenantId, string integrationId, CancellationToken cancellationToken)
    {
        var integration = await FindAsync(tenantId, integrationId, tracking: false, cancellationToken);
        if (await db.Set<Project>().AnyAsync(p => p.TenantId == tenantId && p.CloudIntegrationId == integrationId, cancellationToken))
        {
            throw new ConflictException("cloud-integration/in-use", "Cloud integration is in use by existing projects");
        }

        var revoked = await RevokeAsync(integration, cancellationToken);
        // Revoking may have refreshed (and stored) the tokens: delete the row as it is now.
        var current = await FindAsync(tenantId, integrationId, tracking: true, cancellationToken);
        db.Remove(current);
        audit.Record("cloud-integration.delete", "cloud-integration", integration.Id, tenantId, new { providerId = integration.ProviderId, revoked });
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<string> RevokeAsync(CloudIntegration integration, CancellationToken cancellationToken)
    {
        if (integration.EncryptedAccessToken is null)
        {
            return "no-tokens";
        }

        var provider = await ProviderAsync(integration.ProviderId, cancellationToken);
        if (provider is null)
        {
            return "provider-missing";
        }

        try
        {
            var access = secrets.Unprotect(integration.EncryptedAccessToken, Tokens.TokenService.AccessContext(integration.Id));
            var refresh = integration.EncryptedRefreshToken is null ? null : secrets.Unprotect(integration.EncryptedRefreshToken, Tokens.TokenService.RefreshContext(integration.Id));
            try
            {
                return await providers.ClientFor(provider).RevokeAsync(providers.Configure(provider), access, refresh, cancellationToken) ? "revoked" : "not-supported";
            }
            catch (ProviderException e) when (e.Kind == ProviderErrorKind.Unauthorized && refresh is not null)
            {
                // Dropbox revokes by access token, and an expired one revokes nothing: refresh, then revoke with the new one.
                return await tokens.WithAccessTokenAsync(integration.Id, (config, client, token) => client.RevokeAsync(config, token, refresh, cancellationToken),
                    cancellationToken) ? "revoked" : "not-supported";
            }
        }
        catch (Exception e) when (e is ProviderException or SecretUnavailableException)
        {
            LogRevokeFailed(logger, integration.Id, e.Message);
            return "failed";
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revoking the grant of integration {IntegrationId} failed: {Reason}")]
    private static partial void LogRevokeFailed(ILogger logger, string integrationId, string reason);

    private async Task<CloudIntegration> FindAsync(string tenantId, string integrationId, bool tracking, CancellationToken cancellationToken)
    {
        var query = tracking ? db.Set<CloudIntegration>() : db.Set<CloudIntegration>().AsNoTracking();
        return await query.FirstOrDefaultAsync(i => i.Id == integrationId && i.TenantId == tenantId, cancellationToken)
            ?? throw new NotFoundException("cloud-integration/not-found", "Cloud integration not found");
    }

    private Task<CloudProvider?> ProviderAsync(string providerId, CancellationToken cancellationToken) =>
        db.Set<CloudProvider>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == providerId, cancellationToken);

    private static ConflictException AlreadyExists() => new("cloud-integration/already-exists", "Integration already exists for this provider");
}
