using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mwap.WebConsole.Services;

// The API's objects as the console reads them (a subset of each: unknown fields are ignored).

public sealed record ConsoleConfig(string? Authority, string? ClientId, IReadOnlyList<string> Scopes, string Audience, bool DevSignIn);

public sealed record DevSignInResult(string Token, DateTimeOffset ExpiresAt);

public sealed record ProjectRoleItem(string ProjectId, string Role, bool Implicit = false);

public sealed record UserRoles(string UserId, bool IsSuperAdmin, bool IsTenantOwner, string? TenantId, IReadOnlyList<ProjectRoleItem> ProjectRoles);

public sealed record Tenant([property: JsonPropertyName("_id")] string Id, string Name, string? Description, string OwnerId, bool Archived, DateTime CreatedAt);

public sealed record ProviderSummary(string Name, string Slug, string Type);

public sealed record IntegrationHealth(string Status, DateTime? LastCheck, int ErrorCount, string? LastError);

public sealed record IntegrationSync(
    string State, DateTime? LastSync, DateTime? LastFullSync, string? Error, long FilesIndexed, DateTime? LastStartedAt = null, int ConsecutiveFailures = 0)
{
    /// <summary>Queued or running: the console watches it until it ends.</summary>
    public bool InProgress => State is "queued" or "running";
}

public sealed record AccountInfo(string? Email, string? Name);

public sealed record Integration(
    [property: JsonPropertyName("_id")] string Id, string TenantId, string ProviderId, ProviderSummary? Provider, string Status,
    DateTime? TokenExpiresAt, IReadOnlyList<string>? ScopesGranted, DateTime? ConnectedAt, AccountInfo? UserInfo, IntegrationHealth? Health,
    IntegrationSync? SyncStatus);

public sealed record CloudProvider(
    [property: JsonPropertyName("_id")] string Id, string Name, string Slug, IReadOnlyList<string> Scopes, string AuthUrl, string TokenUrl,
    string ClientId, string GrantType, string TokenMethod);

public sealed record ProjectType([property: JsonPropertyName("_id")] string Id, string Name, string Description, JsonElement ConfigSchema, bool IsActive);

public sealed record Member(string UserId, string Role, bool Implicit = false);

public sealed record Project(
    [property: JsonPropertyName("_id")] string Id, string TenantId, string ProjectTypeId, string CloudIntegrationId,
    [property: JsonPropertyName("folderpath")] string FolderPath, string Name, string? Description, JsonElement Config, bool Archived,
    IReadOnlyList<Member> Members, ProjectMetadata? Metadata = null);

public sealed record ProjectMetadata(long FileCount, long TotalSize, DateTime? LastSync);

public sealed record FileItem(
    [property: JsonPropertyName("_id")] string Id, string Name, string Path, string Type, bool IsFolder, long? Size, DateTime? ModifiedTime);

public sealed record Download(string Url, DateTime ExpiresAt, string Name, long? Size, string Type);

public sealed record FolderItem(string Id, string Name, string Path, bool IsFolder, bool IsContainer);

/// <summary>A page of a cursor-paged list (<c>data</c>, <c>nextCursor</c>, <c>hasMore</c> beside the envelope).</summary>
public sealed record Page<T>(IReadOnlyList<T> Data, string? NextCursor, bool HasMore);

public sealed record InitiateResult(string AuthorizationUrl);

public sealed record ProviderStorage(long Files, long Bytes);

/// <summary>One day of a tenant's usage as <c>GET /tenants/{id}/usage</c> answers it.</summary>
public sealed record UsageDay(
    string Day, long ProviderRequests, long ProviderRequestsDelta, long FilesIndexed, long StorageUsed,
    IReadOnlyDictionary<string, ProviderStorage>? StorageByProvider, int ActiveMembers, int Projects, int Integrations, DateTime? LastActivity);

public sealed record UsageReport(string TenantId, string From, string To, UsageDay? Current, IReadOnlyList<UsageDay> Daily);

public sealed record AlertProvider(string Slug, string Name);

/// <summary>An integration alert (<c>GET /tenants/{id}/alerts</c>).</summary>
public sealed record TenantAlert(
    [property: JsonPropertyName("_id")] string Id, string IntegrationId, AlertProvider? Provider, string Condition, string Day, string Message,
    string? Detail, string EmailStatus, DateTime CreatedAt);

/// <summary>The alerts' page shape: <c>{items, nextCursor, hasMore}</c> inside the envelope's <c>data</c>.</summary>
public sealed record AlertPage(IReadOnlyList<TenantAlert> Items, string? NextCursor, bool HasMore);
