using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Integrations.OAuth;

/// <summary>A started connect flow: its single-use nonce and its encrypted PKCE verifier. Deleted when used or reset.</summary>
internal sealed class OAuthFlow : ITenantOwned
{
    public const string TableName = "oauth_flows";

    public string Id { get; init; } = null!;
    public string TenantId { get; init; } = null!;
    public string IntegrationId { get; init; } = null!;
    public string UserId { get; init; } = null!;
    public string Nonce { get; init; } = null!;
    public string EncryptedCodeVerifier { get; set; } = null!;

    /// <summary>SHA-256 (hex) of the random value the initiating browser holds in its cookie; null for flows started before binding existed (refused).</summary>
    public string? BrowserBindingHash { get; init; }

    public DateTime ExpiresAt { get; init; }
    public DateTime CreatedAt { get; init; }
}

internal sealed class OAuthFlowConfiguration : IEntityTypeConfiguration<OAuthFlow>
{
    public void Configure(EntityTypeBuilder<OAuthFlow> builder)
    {
        builder.ToTable(OAuthFlow.TableName);
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).HasMaxLength(24).ValueGeneratedNever();
        builder.Property(f => f.TenantId).HasMaxLength(24).IsRequired();
        builder.Property(f => f.IntegrationId).HasMaxLength(24).IsRequired();
        builder.Property(f => f.UserId).HasMaxLength(256).IsRequired();
        builder.Property(f => f.Nonce).HasMaxLength(64).IsRequired();
        builder.Property(f => f.EncryptedCodeVerifier).HasMaxLength(1000).IsRequired();
        builder.Property(f => f.BrowserBindingHash).HasMaxLength(64);
        builder.HasIndex(f => new { f.TenantId, f.Nonce }).IsUnique();
        builder.HasIndex(f => f.IntegrationId);
        builder.HasIndex(f => f.ExpiresAt);
        builder.HasOne<CloudIntegration>().WithMany().HasForeignKey(f => f.IntegrationId).OnDelete(DeleteBehavior.Cascade);
    }
}
