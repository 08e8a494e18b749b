using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mwap.Api.Features.AuditLog;

internal sealed class AuditLogConfiguration : IEntityTypeConfiguration<AuditLogEntry>
{
    public void Configure(EntityTypeBuilder<AuditLogEntry> builder)
    {
        builder.ToTable("audit_logs");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasMaxLength(24).ValueGeneratedNever();
        builder.Property(a => a.TenantId).HasMaxLength(24);
        builder.Property(a => a.ActorId).HasMaxLength(256).IsRequired();
        builder.Property(a => a.Action).HasMaxLength(100).IsRequired();
        builder.Property(a => a.TargetType).HasMaxLength(50).IsRequired();
        builder.Property(a => a.TargetId).HasMaxLength(256);
        builder.Property(a => a.Outcome).HasMaxLength(20).IsRequired();
        builder.Property(a => a.Ip).HasMaxLength(64);
        builder.Property(a => a.UserAgent).HasMaxLength(512);
        builder.Property(a => a.TraceId).HasMaxLength(64);
        builder.Property(a => a.Details).HasMaxLength(16_000);

        // Listing a tenant's trail newest first, and the retention job's range delete.
        builder.HasIndex(a => new { a.TenantId, a.CreatedAt });
        builder.HasIndex(a => a.CreatedAt);
        builder.HasIndex(a => new { a.Action, a.CreatedAt });
    }
}
