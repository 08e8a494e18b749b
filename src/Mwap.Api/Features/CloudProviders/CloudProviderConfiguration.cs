using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mwap.Api.Features.CloudProviders;

internal sealed class CloudProviderConfiguration : IEntityTypeConfiguration<CloudProvider>
{
    public const string NameIndex = "ix_cloud_providers_name";
    public const string SlugIndex = "ix_cloud_providers_slug";

    public void Configure(EntityTypeBuilder<CloudProvider> builder)
    {
        builder.ToTable(CloudProvider.TableName);
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(24).ValueGeneratedNever();
        builder.Property(p => p.Name).HasMaxLength(50).IsRequired();
        builder.Property(p => p.DisplayName).HasMaxLength(50);
        builder.Property(p => p.Slug).HasMaxLength(20).IsRequired();
        builder.Property(p => p.AuthUrl).HasMaxLength(2048).IsRequired();
        builder.Property(p => p.TokenUrl).HasMaxLength(2048).IsRequired();
        builder.Property(p => p.ClientId).HasMaxLength(500).IsRequired();
        builder.Property(p => p.EncryptedClientSecret).HasMaxLength(4000).IsRequired();
        builder.Property(p => p.GrantType).HasMaxLength(50).IsRequired();
        builder.Property(p => p.TokenMethod).HasMaxLength(10).IsRequired();
        builder.Property(p => p.Metadata).HasMaxLength(16_000);
        builder.Property(p => p.CreatedBy).HasMaxLength(256).IsRequired();
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Ignore(p => p.ClientSecretContext);
        builder.HasIndex(p => p.Name).IsUnique().HasDatabaseName(NameIndex);
        builder.HasIndex(p => p.Slug).IsUnique().HasDatabaseName(SlugIndex);
    }
}
