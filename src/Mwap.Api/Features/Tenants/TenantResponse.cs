using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mwap.Api.Features.Tenants;

/// <summary>MWAP's tenant object (spec §6.1) plus the guide's fields.</summary>
internal sealed record TenantResponse(
    [property: JsonPropertyName("_id")] string Id,
    string Name,
    string? Description,
    string OwnerId,
    TenantSettingsResponse Settings,
    TenantSubscriptionResponse Subscription,
    bool Archived,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    JsonElement? Metadata)
{
    public static TenantResponse From(Tenant tenant, int platformRetentionDays) => new(
        tenant.Id,
        tenant.Name,
        tenant.Description,
        tenant.OwnerId,
        new TenantSettingsResponse(
            tenant.Settings.AllowPublicProjects,
            tenant.Settings.MaxProjects,
            tenant.Settings.RetentionDays ?? platformRetentionDays,
            new TenantFeaturesResponse(
                tenant.Settings.Features.CloudIntegrations,
                tenant.Settings.Features.AdvancedSecurity,
                tenant.Settings.Features.CustomBranding)),
        new TenantSubscriptionResponse(tenant.Subscription.Plan, tenant.Subscription.Status, tenant.Subscription.ExpiresAt),
        tenant.Archived,
        tenant.CreatedAt,
        tenant.UpdatedAt,
        ParseMetadata(tenant.Metadata));

    /// <summary>The usage summary the aggregation job wrote (<c>totalProjects</c>, <c>totalMembers</c>, <c>storageUsed</c>, …); null until it ran.</summary>
    private static JsonElement? ParseMetadata(string? metadata) =>
        metadata is null ? null : JsonDocument.Parse(metadata).RootElement.Clone();
}

internal sealed record TenantSettingsResponse(bool AllowPublicProjects, int MaxProjects, int RetentionDays, TenantFeaturesResponse Features);

internal sealed record TenantFeaturesResponse(bool CloudIntegrations, bool AdvancedSecurity, bool CustomBranding);

internal sealed record TenantSubscriptionResponse(string Plan, string Status, DateTime? ExpiresAt);
