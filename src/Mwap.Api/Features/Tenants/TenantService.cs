using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.Files;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Notifications;
using Mwap.Api.Features.Projects;
using Mwap.Api.Features.Usage;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Tenants;

/// <summary>Tenant use cases. Every write records its audit row in the same SaveChanges (one transaction).</summary>
internal sealed partial class TenantService(
    MwapDbContext db, IAuditLog audit, IRoleResolver roles, IntegrationRevocation revocation, ProjectReadCache projectReads, IntegrationReadCache integrationReads, TimeProvider time, IOptions<AuditLogOptions> auditOptions, ILogger<TenantService> logger)
{
    public const string NotFoundCode = "tenant/not-found";
    public const string NameExistsCode = "tenant/name-exists";
    public const string AlreadyExistsCode = "tenant/already-exists";

    private int PlatformRetention => auditOptions.Value.RetentionDays;

    /// <summary>The caller's tenant. A changed <paramref name="ownerEmail"/> (from the token) refreshes the stored notification address.</summary>
    public async Task<TenantResponse> GetMineAsync(string userId, string? ownerEmail, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.OwnerId == userId, cancellationToken)
            ?? throw TenantNotFound();
        if (ownerEmail is not null && ownerEmail != tenant.OwnerEmail)
        {
            // Not an edit of the tenant: no version bump, no updatedAt, no audit row.
            await db.Tenants.Where(t => t.Id == tenant.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.OwnerEmail, ownerEmail), cancellationToken);
        }

        return TenantResponse.From(tenant, PlatformRetention);
    }

    public async Task<TenantResponse> CreateAsync(string userId, string? ownerEmail, CreateTenantRequest request, CancellationToken cancellationToken)
    {
        var name = request.Name!.Trim();
        if (await db.Tenants.AnyAsync(t => t.OwnerId == userId, cancellationToken))
        {
            throw AlreadyExists();
        }

        var normalized = Tenant.NormalizeName(name);
        if (await db.Tenants.AnyAsync(t => t.NameNormalized == normalized, cancellationToken))
        {
            throw NameExists();
        }

        var settings = new TenantSettings();
        request.Settings?.ApplyTo(settings);
        var tenant = new Tenant(ObjectId.NewId(time.GetUtcNow()), userId, name, Normalize(request.Description), settings);
        tenant.SetOwnerEmail(ownerEmail);
        db.Tenants.Add(tenant);
        audit.Record("tenant.create", "tenant", tenant.Id, tenant.Id, new { name, settings = request.Settings });
        await SaveAsync(cancellationToken);
        await roles.InvalidateAsync([userId], cancellationToken);
        LogCreated(logger, tenant.Id);
        return TenantResponse.From(tenant, PlatformRetention);
    }

    public async Task<IReadOnlyList<TenantResponse>> ListAsync(bool includeArchived, CancellationToken cancellationToken)
    {
        var query = db.Tenants.AsNoTracking();
        if (!includeArchived)
        {
            query = query.Where(t => !t.Archived);
        }

        var tenants = await query.ToListAsync(cancellationToken);
        // Ordinal order, so SQLite and PostgreSQL (whose collation may differ) list tenants identically.
        return [.. tenants.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => TenantResponse.From(t, PlatformRetention))];
    }

    public async Task<TenantResponse> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tenantId, cancellationToken)
            ?? throw TenantNotFound();
        return TenantResponse.From(tenant, PlatformRetention);
    }

    public async Task<TenantResponse> UpdateAsync(string tenantId, UpdateTenantRequest request, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Id == tenantId, cancellationToken) ?? throw TenantNotFound();
        var changed = new List<string>();
        if (request.Name is not null && request.Name.Trim() != tenant.Name)
        {
            var name = request.Name.Trim();
            var normalized = Tenant.NormalizeName(name);
            if (await db.Tenants.AnyAsync(t => t.NameNormalized == normalized && t.Id != tenantId, cancellationToken))
            {
                throw NameExists();
            }

            tenant.Rename(name);
            changed.Add("name");
        }

        if (request.Description is not null)
        {
            tenant.Describe(Normalize(request.Description));
            changed.Add("description");
        }

        if (request.Settings is not null)
        {
            request.Settings.ApplyTo(tenant.Settings);
            changed.Add("settings");
        }

        if (request.Archived is { } archived)
        {
            tenant.SetArchived(archived);
            changed.Add("archived");
        }

        // MWAP bumps updatedAt on every PATCH, even an empty one; the entry must be modified for the interceptor to stamp it.
        db.Entry(tenant).Property(t => t.UpdatedAt).IsModified = true;
        audit.Record("tenant.update", "tenant", tenant.Id, tenant.Id, new { changed, settings = request.Settings, archived = request.Archived });
        await SaveAsync(cancellationToken);
        return TenantResponse.From(tenant, PlatformRetention);
    }

    /// <summary>Deletes the tenant and everything it owns, in one transaction. Its audit trail is kept.</summary>
    public async Task DeleteAsync(string tenantId, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Id == tenantId, cancellationToken) ?? throw TenantNotFound();
        var affectedUsers = await db.Set<ProjectMember>().Where(m => m.TenantId == tenantId).Select(m => m.UserId).Distinct().ToListAsync(cancellationToken);
        affectedUsers.Add(tenant.OwnerId);

        // Revoke every grant at its provider first (best effort, outside the transaction: a provider call must not hold it
        // open), so deleting the tenant leaves no live access to its owner's drives. Each outcome goes into the audit entry.
        var revocations = new List<object>();
        foreach (var integration in await db.Set<CloudIntegration>().AsNoTracking().Where(i => i.TenantId == tenantId).ToListAsync(cancellationToken))
        {
            revocations.Add(new { integrationId = integration.Id, providerId = integration.ProviderId, outcome = await revocation.RevokeAsync(integration, cancellationToken) });
        }

        var projectIds = await db.Set<Project>().Where(p => p.TenantId == tenantId).Select(p => p.Id).ToListAsync(cancellationToken);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // Children first, in one transaction: a failure leaves the tenant whole.
            var members = await db.Set<ProjectMember>().Where(m => m.TenantId == tenantId).ExecuteDeleteAsync(cancellationToken);
            var projects = await db.Set<Project>().Where(p => p.TenantId == tenantId).ExecuteDeleteAsync(cancellationToken);
            var files = await db.Set<VirtualFile>().Where(f => f.TenantId == tenantId).ExecuteDeleteAsync(cancellationToken);
            await db.Set<TenantUsageDaily>().Where(u => u.TenantId == tenantId).ExecuteDeleteAsync(cancellationToken);
            await db.Set<TenantAlert>().Where(a => a.TenantId == tenantId).ExecuteDeleteAsync(cancellationToken);
            var integrations = await db.Set<CloudIntegration>().Where(i => i.TenantId == tenantId).ExecuteDeleteAsync(cancellationToken);
            db.Tenants.Remove(tenant);
            audit.Record("tenant.delete", "tenant", tenant.Id, tenant.Id, new { name = tenant.Name, ownerId = tenant.OwnerId, projects, members, integrations, files, revocations });
            await SaveAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await roles.InvalidateAsync(affectedUsers, cancellationToken);
        await projectReads.InvalidateAsync(projectIds, cancellationToken);
        await integrationReads.TenantChangedAsync(tenantId, cancellationToken);
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.IsOn(e, TenantConfiguration.OwnerIndex, "tenants", "owner_id"))
        {
            throw AlreadyExists();
        }
        catch (DbUpdateException e) when (UniqueViolation.IsOn(e, TenantConfiguration.NameIndex, "tenants", "name_normalized"))
        {
            throw NameExists();
        }
    }

    private static string? Normalize(string? description) =>
        string.IsNullOrWhiteSpace(description) ? null : description.Trim();

    private static NotFoundException TenantNotFound() => new(NotFoundCode, "Tenant not found");

    private static ConflictException NameExists() => new(NameExistsCode, "Tenant name already exists");

    private static ConflictException AlreadyExists() => new(AlreadyExistsCode, "User already has a tenant");

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {TenantId} created")]
    private static partial void LogCreated(ILogger logger, string tenantId);
}
