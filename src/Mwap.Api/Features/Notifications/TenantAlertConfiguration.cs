using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mwap.Api.Features.Tenants;

namespace Mwap.Api.Features.Notifications;

internal sealed class TenantAlertConfiguration : IEntityTypeConfiguration<TenantAlert>
{
    public const string DayIndex = "ix_tenant_alerts_tenant_id_integration_id_condition_day";

    public void Configure(EntityTypeBuilder<TenantAlert> builder)
    {
        builder.ToTable(TenantAlert.TableName);
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasMaxLength(24).ValueGeneratedNever();
        builder.Property(a => a.TenantId).HasMaxLength(24).IsRequired();
        builder.Property(a => a.IntegrationId).HasMaxLength(24).IsRequired();
        builder.Property(a => a.Condition).HasMaxLength(40).IsRequired();
        builder.Property(a => a.ProviderSlug).HasMaxLength(100).IsRequired();
        builder.Property(a => a.ProviderName).HasMaxLength(200).IsRequired();
        builder.Property(a => a.Message).HasMaxLength(2000).IsRequired();
        builder.Property(a => a.Detail).HasMaxLength(2000);
        builder.Property(a => a.EmailStatus).HasMaxLength(20).IsRequired();
        builder.Property(a => a.EmailError).HasMaxLength(1000);

        // One alert per integration, condition and day; includes tenant_id (Citus rule).
        builder.HasIndex(a => new { a.TenantId, a.IntegrationId, a.Condition, a.Day }).IsUnique().HasDatabaseName(DayIndex);
        // Listing a tenant's alerts newest first; the sender's scan of unsent alerts.
        builder.HasIndex(a => new { a.TenantId, a.CreatedAt, a.Id });
        builder.HasIndex(a => new { a.EmailStatus, a.CreatedAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
