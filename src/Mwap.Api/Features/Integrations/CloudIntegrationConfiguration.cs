using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Tenants;

namespace Mwap.Api.Features.Integrations;

internal sealed class CloudIntegrationConfiguration : IEntityTypeConfiguration<CloudIntegration>
{
    public const string TenantProviderIndex = "ix_cloud_integrations_tenant_id_provider_id";

    public void Configure(EntityTypeBuilder<CloudIntegration> builder)
    {
        builder.ToTable(CloudIntegration.TableName);
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).HasMaxLength(24).ValueGeneratedNever();
        builder.Property(i => i.TenantId).HasMaxLength(24).IsRequired();
        builder.Property(i => i.ProviderId).HasMaxLength(24).IsRequired();
        builder.Property(i => i.Status).HasMaxLength(20).IsRequired();
        builder.Property(i => i.EncryptedAccessToken).HasMaxLength(8000);
        builder.Property(i => i.EncryptedRefreshToken).HasMaxLength(8000);
        builder.Property(i => i.Metadata).HasMaxLength(16_000);
        builder.Property(i => i.CreatedBy).HasMaxLength(256).IsRequired();
        builder.Property(i => i.Version).IsConcurrencyToken();
        builder.ComplexProperty(i => i.Account, a =>
        {
            a.Property(x => x.Email).HasMaxLength(320);
            a.Property(x => x.Name).HasMaxLength(256);
            a.Property(x => x.ProviderUserId).HasMaxLength(256);
            a.Property(x => x.RootNamespaceId).HasMaxLength(64);
        });
        builder.Property(i => i.RefreshLeaseOwner).HasMaxLength(100);
        builder.ComplexProperty(i => i.Usage);
        builder.ComplexProperty(i => i.Sync, s =>
        {
            s.Property(x => x.State).HasMaxLength(20);
            s.Property(x => x.Cursor).HasMaxLength(8000);
            s.Property(x => x.RootId).HasMaxLength(512);
            s.Property(x => x.LastError).HasMaxLength(2000);
            s.Property(x => x.LeaseOwner).HasMaxLength(100);
            s.Property(x => x.JobId).HasMaxLength(100);
        });
        builder.ComplexProperty(i => i.Health, h =>
        {
            h.Property(x => x.Status).HasMaxLength(20);
            h.Property(x => x.LastError).HasMaxLength(2000);
        });

        // One integration per tenant and provider; the index includes tenant_id (Citus rule).
        builder.HasIndex(i => new { i.TenantId, i.ProviderId }).IsUnique().HasDatabaseName(TenantProviderIndex);
        builder.HasIndex(i => i.ProviderId);
        builder.HasIndex(i => i.TokenExpiresAt);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(i => i.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<CloudProvider>().WithMany().HasForeignKey(i => i.ProviderId).OnDelete(DeleteBehavior.Restrict);
    }
}
