namespace Mwap.Api.Infrastructure.Persistence;

/// <summary>Rows with creation and update times; <see cref="TimestampInterceptor"/> stamps them.</summary>
internal interface IHasTimestamps
{
    DateTime CreatedAt { get; set; }
    DateTime UpdatedAt { get; set; }
}

/// <summary>Rows updated under optimistic concurrency: a stale update is a 409, never a lost write.</summary>
internal interface IVersioned
{
    int Version { get; set; }
}

/// <summary>Rows owned by one tenant. Every such table carries tenant_id and every unique index on it includes tenant_id (Citus rule).</summary>
internal interface ITenantOwned
{
    string TenantId { get; }
}
