using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.ProjectTypes;
using Mwap.Api.Features.Tenants;

namespace Mwap.Api.Features.Projects;

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public const string NameIndex = "ix_projects_tenant_id_name";

    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.ToTable("projects");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(24).ValueGeneratedNever();
        builder.Property(p => p.TenantId).HasMaxLength(24).IsRequired();
        builder.Property(p => p.ProjectTypeId).HasMaxLength(24).IsRequired();
        builder.Property(p => p.CloudIntegrationId).HasMaxLength(24).IsRequired();
        builder.Property(p => p.FolderPath).HasMaxLength(1024).IsRequired();
        builder.Property(p => p.Name).HasMaxLength(Project.NameMaxLength).IsRequired();
        builder.Property(p => p.Description).HasMaxLength(500);
        builder.Property(p => p.Config).HasMaxLength(64_000).IsRequired();
        builder.Property(p => p.CreatedBy).HasMaxLength(256).IsRequired();
        builder.Property(p => p.Version).IsConcurrencyToken();

        // Project names are unique within a tenant; the index includes tenant_id (Citus rule).
        builder.HasIndex(p => new { p.TenantId, p.Name }).IsUnique().HasDatabaseName(NameIndex);
        builder.HasIndex(p => p.ProjectTypeId);
        builder.HasIndex(p => p.CloudIntegrationId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ProjectType>().WithMany().HasForeignKey(p => p.ProjectTypeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CloudIntegration>().WithMany().HasForeignKey(p => p.CloudIntegrationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ProjectMemberConfiguration : IEntityTypeConfiguration<ProjectMember>
{
    public void Configure(EntityTypeBuilder<ProjectMember> builder)
    {
        builder.ToTable("project_members");
        builder.HasKey(m => new { m.TenantId, m.ProjectId, m.UserId });
        builder.Property(m => m.TenantId).HasMaxLength(24);
        builder.Property(m => m.ProjectId).HasMaxLength(24);
        builder.Property(m => m.UserId).HasMaxLength(256);
        builder.Property(m => m.Role).HasMaxLength(10).IsRequired();
        builder.Property(m => m.AddedBy).HasMaxLength(256).IsRequired();
        // Role lookups go by user; listing goes by project.
        builder.HasIndex(m => m.UserId);
        builder.HasIndex(m => m.ProjectId);
        builder.HasOne<Project>().WithMany().HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}
