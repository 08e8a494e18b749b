using System.Diagnostics;
using System.Text.Json;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.AuditLog;

/// <summary>Records audited actions. Services call it explicitly, because an audit entry carries intent.</summary>
internal interface IAuditLog
{
    /// <summary>
    /// Adds an entry to the current unit of work: it is saved by the caller's <c>SaveChanges</c>, in the same
    /// transaction as the change it describes, or not at all.
    /// </summary>
    void Record(string action, string targetType, string? targetId, string? tenantId,
        object? details = null, string outcome = AuditOutcome.Success);

    /// <summary>
    /// The same, for work done on a request's behalf outside it (a batched write): who, from where and under which
    /// trace come from <paramref name="actor"/>, captured from the request, not from whatever request is current.
    /// </summary>
    void Record(AuditActor actor, string action, string targetType, string? targetId, string? tenantId,
        object? details = null, string outcome = AuditOutcome.Success);
}

/// <summary>Who an audited action is done for, captured while their request is current.</summary>
internal sealed record AuditActor(string ActorId, string? Ip, string? UserAgent, string? TraceId)
{
    public static AuditActor Of(HttpContext? context) => new(
        context?.User.FindFirst("sub")?.Value ?? "system",
        context?.Connection.RemoteIpAddress?.ToString(),
        context?.Request.Headers.UserAgent.ToString(),
        context is null ? Activity.Current?.TraceId.ToString() : ErrorResponseWriter.TraceIdOf(context));
}

internal sealed class AuditLog(MwapDbContext db, IHttpContextAccessor http, TimeProvider time) : IAuditLog
{
    private static readonly string[] SecretMarkers = ["secret", "token", "password", "verifier", "authorization", "key"];

    public void Record(string action, string targetType, string? targetId, string? tenantId,
        object? details = null, string outcome = AuditOutcome.Success) =>
        Record(AuditActor.Of(http.HttpContext), action, targetType, targetId, tenantId, details, outcome);

    public void Record(AuditActor actor, string action, string targetType, string? targetId, string? tenantId,
        object? details = null, string outcome = AuditOutcome.Success) =>
        db.AuditLogs.Add(new AuditLogEntry
        {
            Id = ObjectId.NewId(time.GetUtcNow()),
            TenantId = tenantId,
            ActorId = actor.ActorId,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            Outcome = outcome,
            Ip = actor.Ip,
            UserAgent = Truncate(actor.UserAgent, 512),
            TraceId = actor.TraceId,
            Details = details is null ? null : Sanitize(details),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        });

    /// <summary>Serialises details, replacing the value of any key that names a secret. A last line of defence, not a licence.</summary>
    internal static string Sanitize(object details)
    {
        var node = JsonSerializer.SerializeToNode(details, MwapJson.Options);
        Redact(node);
        return node?.ToJsonString(MwapJson.Options) ?? "{}";
    }

    /// <summary>Whether a details key names a secret (its value is replaced by <c>[REDACTED]</c>).</summary>
    internal static bool IsSecretKey(string key) => SecretMarkers.Any(m => key.Contains(m, StringComparison.OrdinalIgnoreCase));

    private static void Redact(System.Text.Json.Nodes.JsonNode? node)
    {
        if (node is System.Text.Json.Nodes.JsonObject obj)
        {
            foreach (var key in obj.Select(p => p.Key).ToList())
            {
                if (IsSecretKey(key))
                {
                    obj[key] = "[REDACTED]";
                }
                else
                {
                    Redact(obj[key]);
                }
            }
        }
        else if (node is System.Text.Json.Nodes.JsonArray array)
        {
            foreach (var item in array)
            {
                Redact(item);
            }
        }
    }

    private static string? Truncate(string? value, int max) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= max ? value : value[..max];
}
