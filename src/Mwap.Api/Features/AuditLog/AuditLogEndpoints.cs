using Microsoft.AspNetCore.Mvc;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.AuditLog;

internal static class AuditLogEndpoints
{
    /// <summary>A tenant's trail (owner, superadmin) and the whole platform's (superadmin).</summary>
    public static RouteGroupBuilder MapAuditLogEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/tenants/{tenantId}/audit-logs", async (string tenantId, [AsParameters] AuditLogQuery query, AuditLogQueries logs, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Of(await logs.ListAsync(ObjectId.Normalize(tenantId), query.ToFilter(), ct))))
            .RequireAuthorization(Policies.TenantOwnerOrSuperAdmin).WithTags("AuditLog").WithName("ListTenantAuditLogs");

        api.MapGet("/admin/audit-logs", async ([AsParameters] AuditLogQuery query, AuditLogQueries logs, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Of(await logs.ListAsync(query.TenantId is { } t ? ObjectId.Normalize(t) : null, query.ToFilter(), ct))))
            .RequireAuthorization(Policies.SuperAdmin).WithTags("AuditLog").WithName("ListAuditLogs");
        return api;
    }

    internal sealed record AuditLogQuery(
        [FromQuery] string? Action,
        [FromQuery] string? Actor,
        [FromQuery] string? TargetType,
        [FromQuery] string? TargetId,
        [FromQuery] DateTime? From,
        [FromQuery] DateTime? To,
        [FromQuery] int? Limit,
        [FromQuery] string? Cursor,
        [FromQuery] string? TenantId)
    {
        public AuditLogFilter ToFilter() => new(Action, Actor, TargetType, TargetId, From, To, Limit, Cursor);
    }
}
