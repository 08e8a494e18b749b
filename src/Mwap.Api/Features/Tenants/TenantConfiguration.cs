using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mwap.Api.Features.Tenants;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public const string OwnerIndex = "ix_tenants_owner_id";
    public const string NameIndex = "ix_tenants_name_normalized";

    /// <summary>Room for a clash marker ("#" and the 24-character id) after the longest name.</summary>
    public const int NameNormalizedMaxLength = Tenant.NameMaxLength + 25;

    public void Configure(EntityTypeBuilder<Tenant> builder)
    {
        builder.ToTable("tenants");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasMaxLength(24).ValueGeneratedNever();
        builder.Property(t => t.Name).HasMaxLength(Tenant.NameMaxLength).IsRequired();
        builder.Property(t => t.NameNormalized).HasMaxLength(NameNormalizedMaxLength).IsRequired();
        builder.Property(t => t.Description).HasMaxLength(Tenant.DescriptionMaxLength);
        builder.Property(t => t.OwnerId).HasMaxLength(256).IsRequired();
        builder.Property(t => t.OwnerEmail).HasMaxLength(OwnerEmails.MaxLength);
        builder.Property(t => t.Metadata).HasMaxLength(16_000);
        builder.Property(t => t.Version).IsConcurrencyToken();

        // One tenant per user, and names unique platform-wide regardless of case: both are indexes, so no race can slip past
        // a read-then-write check.
        builder.HasIndex(t => t.OwnerId).IsUnique().HasDatabaseName(OwnerIndex);
        builder.HasIndex(t => t.NameNormalized).IsUnique().HasDatabaseName(NameIndex);

        builder.ComplexProperty(t => t.Settings, settings =>
        {
            settings.ComplexProperty(s => s.Features);
        });
        builder.ComplexProperty(t => t.Subscription, subscription =>
        {
            subscription.Property(s => s.Plan).HasMaxLength(50);
            subscription.Property(s => s.Status).HasMaxLength(50);
        });
    }
}
