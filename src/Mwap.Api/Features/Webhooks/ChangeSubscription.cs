using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Webhooks;

/// <summary>
/// A live change-notification registration at a provider for one integration: a Microsoft Graph subscription or a
/// Google Drive <c>changes.watch</c> channel. The shared secret the provider echoes (Graph's <c>clientState</c>, Drive's
/// channel token) is kept only as its SHA-256: it is 32 random bytes, so a hash is enough to check it and useless to steal.
/// </summary>
internal sealed class ChangeSubscription : ITenantOwned, IHasTimestamps
{
    public const string TableName = "change_subscriptions";

    public string Id { get; init; } = null!;
    public string TenantId { get; init; } = null!;
    public string IntegrationId { get; init; } = null!;

    /// <summary><see cref="ChangeSubscriptionKinds.Microsoft"/> or <see cref="ChangeSubscriptionKinds.Google"/>.</summary>
    public string Kind { get; init; } = null!;

    /// <summary>Graph's subscription id, or the Drive channel id we chose.</summary>
    public string ExternalId { get; init; } = null!;

    /// <summary>Drive's opaque <c>resourceId</c> of the watched resource (needed by <c>channels.stop</c>); null for Graph.</summary>
    public string? ResourceId { get; init; }

    /// <summary>Hex SHA-256 of the secret the provider sends back with every notification.</summary>
    public string SecretHash { get; init; } = null!;

    public DateTime ExpiresAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal static class ChangeSubscriptionKinds
{
    public const string Microsoft = "microsoft";
    public const string Google = "google";
}

internal sealed class ChangeSubscriptionConfiguration : IEntityTypeConfiguration<ChangeSubscription>
{
    public void Configure(EntityTypeBuilder<ChangeSubscription> builder)
    {
        builder.ToTable(ChangeSubscription.TableName);
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(24).ValueGeneratedNever();
        builder.Property(s => s.TenantId).HasMaxLength(24).IsRequired();
        builder.Property(s => s.IntegrationId).HasMaxLength(24).IsRequired();
        builder.Property(s => s.Kind).HasMaxLength(16).IsRequired();
        builder.Property(s => s.ExternalId).HasMaxLength(128).IsRequired();
        builder.Property(s => s.ResourceId).HasMaxLength(256);
        builder.Property(s => s.SecretHash).HasMaxLength(64).IsRequired();
        // Notifications are matched by the provider's id alone (they carry nothing else we could trust before the check).
        builder.HasIndex(s => new { s.Kind, s.ExternalId });
        builder.HasIndex(s => s.IntegrationId);
        builder.HasIndex(s => s.ExpiresAt);
        builder.HasOne<CloudIntegration>().WithMany().HasForeignKey(s => s.IntegrationId).OnDelete(DeleteBehavior.Cascade);
    }
}
