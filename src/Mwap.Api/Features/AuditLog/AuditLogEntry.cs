namespace Mwap.Api.Features.AuditLog;

/// <summary>One audited action. Written in the same transaction as the change it records.</summary>
internal sealed class AuditLogEntry
{
    public string Id { get; init; } = null!;

    /// <summary>The tenant the action concerns, when there is one. Kept after the tenant is deleted: the trail outlives it.</summary>
    public string? TenantId { get; init; }

    /// <summary>The token subject that acted, or <c>system</c> for jobs.</summary>
    public string ActorId { get; init; } = null!;

    public string Action { get; init; } = null!;
    public string TargetType { get; init; } = null!;
    public string? TargetId { get; init; }
    public string Outcome { get; init; } = AuditOutcome.Success;
    public string? Ip { get; init; }
    public string? UserAgent { get; init; }
    public string? TraceId { get; init; }

    /// <summary>JSON object; never holds a secret (see <see cref="AuditLog.Sanitize"/>).</summary>
    public string? Details { get; init; }

    public DateTime CreatedAt { get; init; }
}

internal static class AuditOutcome
{
    public const string Success = "success";
    public const string Failure = "failure";
    public const string Denied = "denied";
}
