using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Projects;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Integrations;

/// <summary>Integration records (spec #11–#15). Every method takes the tenant id first and filters on it.</summary>
internal sealed class IntegrationService(MwapDbContext db, IAuditLog audit, IntegrationRevocation revocation, IntegrationReadCache reads, TimeProvider time)
{
    public const string InvalidInputCode = "cloud-integration/invalid-input";
    public const string NotConnectedCode = "cloud-integration/not-connected";

    /// <summary>From <see cref="IntegrationReadCache"/>; a miss reads the rows in one round trip (issue 13).</summary>
    public ValueTask<IReadOnlyList<IntegrationResponse>> ListAsync(string tenantId, CancellationToken cancellationToken) =>
        reads.GetListAsync(tenantId, () => LoadListAsync(tenantId, cancellationToken));

    private async Task<IReadOnlyList<IntegrationResponse>> LoadListAsync(string tenantId, CancellationToken cancellationToken)
    {
        // The integrations with their provider's name and slug by a correlated sub-select (the set a captured local, see
        // ProjectReadCache.ReadAsync).
        var providers = db.Set<CloudProvider>();
        var rows = await db.Set<CloudIntegration>().AsNoTracking().Where(i => i.TenantId == tenantId).OrderBy(i => i.CreatedAt)
            .Select(i => new
            {
                Integration = i,
                Provider = providers.Where(p => p.Id == i.ProviderId).Select(p => new IntegrationProviderSummary(p.Name, p.Slug, p.Slug)).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => IntegrationResponse.From(r.Integration, r.Provider))];
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
            integration.Status = NextStatus(integration, status);
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
    /// MWAP's client switches integrations on and off through <c>status</c>: <c>inactive</c> or <c>revoked</c> deactivates
    /// (tokens are kept, so it can be switched back on); <c>active</c> reactivates a deactivated integration that still
    /// holds tokens. Anything that needs the user at the provider (never connected, expired, revoked by the provider)
    /// is connected through the OAuth flow instead.
    /// </summary>
    private static string NextStatus(CloudIntegration integration, string requested)
    {
        if (requested != IntegrationStatus.Active)
        {
            return IntegrationStatus.Inactive;
        }

        if (integration.Status == IntegrationStatus.Active)
        {
            return IntegrationStatus.Active;
        }

        if (integration.EncryptedAccessToken is null)
        {
            throw new ConflictException(NotConnectedCode,
                "The integration has never been connected; connect it through OAuth (POST /api/v1/oauth/tenants/{tenantId}/integrations/{integrationId}/initiate)");
        }

        if (integration.Status is IntegrationStatus.Expired or IntegrationStatus.Revoked)
        {
            throw new ConflictException(NotConnectedCode,
                $"The integration's connection is {integration.Status}; connect it again through OAuth (POST /api/v1/oauth/tenants/{{tenantId}}/integrations/{{integrationId}}/initiate)");
        }

        return IntegrationStatus.Active;
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

        var revoked = await revocation.RevokeAsync(integration, cancellationToken);
        // Revoking may have refreshed (and stored) the tokens: delete the row as it is now. The connect flow's first
        // sync and health check write the row in the background; a delete that meets such a write reads it again
        // and deletes, rather than answering the owner with a conflict.
        await ConcurrencyRetry.RunAsync(db, async () =>
        {
            var current = await FindAsync(tenantId, integrationId, tracking: true, cancellationToken);
            db.Remove(current);
            audit.Record("cloud-integration.delete", "cloud-integration", integration.Id, tenantId, new { providerId = integration.ProviderId, revoked });
            await db.SaveChangesAsync(cancellationToken);
            return true;
        });
    }

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
