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
        [FromQuery] string? From,
        [FromQuery] string? To,
        [FromQuery] string? Limit,
        [FromQuery] string? Cursor,
        [FromQuery] string? TenantId)
    {
        /// <summary>Parsed here (read as text) so a bad value names the parameter and its rule.</summary>
        public AuditLogFilter ToFilter() => new(Action, Actor, TargetType, TargetId,
            QueryParameters.Timestamp("from", From), QueryParameters.Timestamp("to", To),
            QueryParameters.WholeNumber("limit", Limit, 1, AuditLogQueries.MaxLimit), Cursor);
    }
}
