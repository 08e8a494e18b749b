using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Integrations;

/// <summary>A tenant's connection to one storage provider account. One per tenant and provider.</summary>
internal sealed class CloudIntegration : IHasTimestamps, IVersioned, ITenantOwned
{
    public const string TableName = "cloud_integrations";

    public string Id { get; init; } = null!;
    public string TenantId { get; init; } = null!;
    public string ProviderId { get; init; } = null!;

    /// <summary>active | pending | inactive | expired | revoked | error.</summary>
    public string Status { get; set; } = IntegrationStatus.Pending;

    public string? EncryptedAccessToken { get; set; }
    public string? EncryptedRefreshToken { get; set; }
    public DateTime? TokenExpiresAt { get; set; }
    public List<string> ScopesGranted { get; set; } = [];
    public DateTime? ConnectedAt { get; set; }
    public IntegrationAccount Account { get; set; } = new();
    public IntegrationHealth Health { get; set; } = new();
    public IntegrationUsage Usage { get; set; } = new();
    public IntegrationSync Sync { get; set; } = new();

    /// <summary>When the tokens were last refreshed (or obtained); idle connections are refreshed before disuse kills them.</summary>
    public DateTime? LastRefreshedAt { get; set; }

    /// <summary>Refresh lease: only the holder refreshes, across requests, jobs and instances (taken by a conditional update).</summary>
    public DateTime? RefreshLeaseUntil { get; set; }

    public string? RefreshLeaseOwner { get; set; }

    /// <summary>Free JSON object the tenant owner may set (labels, notes).</summary>
    public string? Metadata { get; set; }

    public string CreatedBy { get; init; } = null!;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
}

internal static class IntegrationStatus
{
    public const string Active = "active";
    public const string Pending = "pending";
    public const string Inactive = "inactive";
    public const string Expired = "expired";
    public const string Revoked = "revoked";
    public const string Error = "error";

    public static readonly string[] All = [Active, Pending, Inactive, Expired, Revoked, Error];
}

/// <summary>Who is connected at the provider.</summary>
internal sealed class IntegrationAccount
{
    public string? Email { get; set; }
    public string? Name { get; set; }
    public string? ProviderUserId { get; set; }

    /// <summary>
    /// Dropbox team spaces: the account's root namespace, sent as <c>Dropbox-API-Path-Root</c> on every file call, when
    /// it differs from the home namespace (null otherwise, and for other providers). Read at connect, re-read on a 422
    /// <c>path_root_error</c> and by the health check.
    /// </summary>
    public string? RootNamespaceId { get; set; }
}

internal sealed class IntegrationUsage
{
    public long TotalRequests { get; set; }
    public DateTime? LastRequest { get; set; }
    public long? QuotaUsed { get; set; }
    public long? QuotaLimit { get; set; }
}

internal sealed class IntegrationHealth
{
    public DateTime? LastCheck { get; set; }

    /// <summary>healthy | degraded | unhealthy | unknown.</summary>
    public string Status { get; set; } = "unknown";

    public int ErrorCount { get; set; }
    public string? LastError { get; set; }
}

/// <summary>The file index's sync state: change cursor, last results, and the lease that keeps one sync per integration.</summary>
internal sealed class IntegrationSync
{
    /// <summary>never | queued | running | succeeded | failed.</summary>
    public string State { get; set; } = SyncStates.Never;

    /// <summary>Where the change feed continues (Drive page token, Dropbox cursor, Graph delta or next link); null forces a full sync.</summary>
    public string? Cursor { get; set; }

    /// <summary>The provider's id of the account's root folder (Drive, Graph).</summary>
    public string? RootId { get; set; }

    /// <summary>Bumped by every full sync; rows it did not see are removed when it completes.</summary>
    public long Generation { get; set; }

    public DateTime? LastStartedAt { get; set; }
    public DateTime? LastSyncAt { get; set; }
    public DateTime? LastFullSyncAt { get; set; }
    public string? LastError { get; set; }
    public int ConsecutiveFailures { get; set; }
    public long FilesIndexed { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public string? LeaseOwner { get; set; }

    /// <summary>The background job of the last sync requested (route or webhook): requests coalesce into it while it waits or runs.</summary>
    public string? JobId { get; set; }
}

internal static class SyncStates
{
    public const string Never = "never";
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
