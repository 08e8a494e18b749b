using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mwap.Api.Features.ProjectTypes;

internal sealed class ProjectTypeConfiguration : IEntityTypeConfiguration<ProjectType>
{
    public const string NameIndex = "ix_project_types_name";

    public void Configure(EntityTypeBuilder<ProjectType> builder)
    {
        builder.ToTable("project_types");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasMaxLength(24).ValueGeneratedNever();
        builder.Property(t => t.Name).HasMaxLength(50).IsRequired();
        builder.Property(t => t.Description).HasMaxLength(500).IsRequired();
        builder.Property(t => t.ConfigSchema).HasMaxLength(64_000).IsRequired();
        builder.Property(t => t.CreatedBy).HasMaxLength(256).IsRequired();
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.HasIndex(t => t.Name).IsUnique().HasDatabaseName(NameIndex);
    }
}
