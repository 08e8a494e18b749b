using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mwap.Api.Features.Integrations;

namespace Mwap.Api.Features.Files;

internal sealed class VirtualFileConfiguration : IEntityTypeConfiguration<VirtualFile>
{
    public void Configure(EntityTypeBuilder<VirtualFile> builder)
    {
        builder.ToTable(VirtualFile.TableName);
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).HasMaxLength(24).ValueGeneratedNever();
        builder.Property(f => f.TenantId).HasMaxLength(24).IsRequired();
        builder.Property(f => f.IntegrationId).HasMaxLength(24).IsRequired();
        builder.Property(f => f.ProviderFileId).HasMaxLength(512).IsRequired();
        builder.Property(f => f.ParentProviderId).HasMaxLength(512);
        builder.Property(f => f.Name).HasMaxLength(1024).IsRequired();
        builder.Property(f => f.NameLower).HasMaxLength(1024).IsRequired();
        builder.Property(f => f.Path).HasMaxLength(4096);
        builder.Property(f => f.PathLower).HasMaxLength(4096);
        builder.Property(f => f.ParentPathLower).HasMaxLength(4096);
        builder.Property(f => f.MimeType).HasMaxLength(256).IsRequired();
        builder.Property(f => f.Checksum).HasMaxLength(128);

        // Citus rule: every unique index includes tenant_id.
        builder.HasIndex(f => new { f.TenantId, f.IntegrationId, f.ProviderFileId }).IsUnique();
        // Listing a folder sorted by name, and keyset paging after (name, id).
        builder.HasIndex(f => new { f.TenantId, f.IntegrationId, f.ParentPathLower, f.NameLower, f.Id });
        // Subtree scans (search, moves, deletes) and path lookups.
        builder.HasIndex(f => new { f.TenantId, f.IntegrationId, f.PathLower });
        // Serves the foreign key (cascading integration deletes); nothing looks rows up by parent id.
        builder.HasIndex(f => f.IntegrationId);
        builder.HasOne<CloudIntegration>().WithMany().HasForeignKey(f => f.IntegrationId).OnDelete(DeleteBehavior.Cascade);
    }
}
