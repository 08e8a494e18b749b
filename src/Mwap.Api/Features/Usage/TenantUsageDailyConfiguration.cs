using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mwap.Api.Features.Tenants;

namespace Mwap.Api.Features.Usage;

internal sealed class TenantUsageDailyConfiguration : IEntityTypeConfiguration<TenantUsageDaily>
{
    public void Configure(EntityTypeBuilder<TenantUsageDaily> builder)
    {
        builder.ToTable(TenantUsageDaily.TableName);

        // The key is the unique (tenant_id, day): one row per tenant and day, and it leads with tenant_id (Citus rule).
        builder.HasKey(u => new { u.TenantId, u.Day });
        builder.Property(u => u.TenantId).HasMaxLength(24);
        builder.Property(u => u.StorageByProvider).HasMaxLength(8000).IsRequired();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(u => u.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
