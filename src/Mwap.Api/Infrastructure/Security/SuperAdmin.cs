using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mwap.Api.Infrastructure.Security;

/// <summary>A platform administrator, by identity-provider subject.</summary>
internal sealed class SuperAdmin
{
    public string Id { get; init; } = null!;
    public string UserId { get; init; } = null!;
    public string AddedBy { get; init; } = null!;
    public DateTime CreatedAt { get; init; }
}

internal sealed class SuperAdminConfiguration : IEntityTypeConfiguration<SuperAdmin>
{
    public void Configure(EntityTypeBuilder<SuperAdmin> builder)
    {
        builder.ToTable("superadmins");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(24).ValueGeneratedNever();
        builder.Property(s => s.UserId).HasMaxLength(256).IsRequired();
        builder.Property(s => s.AddedBy).HasMaxLength(256).IsRequired();
        builder.HasIndex(s => s.UserId).IsUnique();
    }
}
