using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mwap.Api.Features.Operations;

/// <summary>
/// A dashboard link that has been exchanged, by the SHA-256 of the link token. The primary key makes the exchange
/// single-use across instances: the second insert of the same link fails. Rows are useless once the link would have
/// expired anyway and are removed then.
/// </summary>
internal sealed class DashboardLinkUse
{
    public const string TableName = "dashboard_link_uses";

    public string Id { get; init; } = null!;
    public DateTime ExpiresAt { get; init; }
}

internal sealed class DashboardLinkUseConfiguration : IEntityTypeConfiguration<DashboardLinkUse>
{
    public void Configure(EntityTypeBuilder<DashboardLinkUse> builder)
    {
        builder.ToTable(DashboardLinkUse.TableName);
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).HasMaxLength(64).ValueGeneratedNever();
        builder.HasIndex(u => u.ExpiresAt);
    }
}
