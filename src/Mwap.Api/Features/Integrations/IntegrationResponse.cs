using System.Text.Json;
using System.Text.Json.Serialization;
using Mwap.Api.Features.CloudProviders;

namespace Mwap.Api.Features.Integrations;

/// <summary>
/// The guide's integration plus the fields MWAP's client reads. Tokens are never returned: <c>accessToken</c> and
/// <c>refreshToken</c> read <c>[REDACTED]</c> when one is stored and are absent otherwise.
/// </summary>
internal sealed record IntegrationResponse(
    [property: JsonPropertyName("_id")] string Id,
    string TenantId,
    string ProviderId,
    IntegrationProviderSummary? Provider,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AccessToken,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken,
    DateTime? TokenExpiresAt,
    IReadOnlyList<string> ScopesGranted,
    DateTime? ConnectedAt,
    IntegrationUserInfo UserInfo,
    IntegrationHealthResponse Health,
    IntegrationUsageResponse Usage,
    IntegrationSyncResponse SyncStatus,
    JsonElement? Metadata,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string CreatedBy)
{
    public static IntegrationResponse From(CloudIntegration i, CloudProvider? provider) =>
        From(i, provider is null ? null : new IntegrationProviderSummary(provider.Name, provider.Slug, provider.Slug));

    public static IntegrationResponse From(CloudIntegration i, IntegrationProviderSummary? provider) => new(
        i.Id, i.TenantId, i.ProviderId,
        provider,
        i.Status,
        i.EncryptedAccessToken is null ? null : CloudProviderResponse.Redacted,
        i.EncryptedRefreshToken is null ? null : CloudProviderResponse.Redacted,
        i.TokenExpiresAt, i.ScopesGranted, i.ConnectedAt,
        new IntegrationUserInfo(i.Account.Email, i.Account.Name, i.Account.ProviderUserId),
        new IntegrationHealthResponse(i.Health.Status, i.Health.LastCheck, i.Health.ErrorCount, i.Health.LastError),
        new IntegrationUsageResponse(i.Usage.TotalRequests, i.Usage.LastRequest, i.Usage.QuotaUsed, i.Usage.QuotaLimit),
        IntegrationSyncResponse.From(i.Sync),
        i.Metadata is null ? null : JsonDocument.Parse(i.Metadata).RootElement.Clone(),
        i.CreatedAt, i.UpdatedAt, i.CreatedBy);
}

internal sealed record IntegrationProviderSummary(string Name, string Slug, string Type);

internal sealed record IntegrationUserInfo(string? Email, string? Name, string? ProviderId);

internal sealed record IntegrationUsageResponse(long TotalRequests, DateTime? LastRequest, long? QuotaUsed, long? QuotaLimit);

internal sealed record IntegrationHealthResponse(string Status, DateTime? LastCheck, int ErrorCount, string? LastError);

/// <summary>The file index's state for this integration (never the cursor itself).</summary>
internal sealed record IntegrationSyncResponse(string State, DateTime? LastSync, DateTime? LastFullSync, DateTime? LastStartedAt,
    string? Error, int ConsecutiveFailures, long FilesIndexed)
{
    public static IntegrationSyncResponse From(IntegrationSync s) =>
        new(s.State, s.LastSyncAt, s.LastFullSyncAt, s.LastStartedAt, s.LastError, s.ConsecutiveFailures, s.FilesIndexed);
}
