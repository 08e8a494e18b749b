using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Notifications;

internal static class NotificationsEndpoints
{
    /// <summary><c>GET /tenants/{tenantId}/alerts?limit=&amp;cursor=</c> (tenant owner, superadmin), newest first.</summary>
    public static RouteGroupBuilder MapNotificationsEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/tenants/{tenantId}/alerts", async (string tenantId, string? limit, string? cursor, AlertQueries alerts, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Of(await alerts.ListAsync(ObjectId.Normalize(tenantId),
                    QueryParameters.WholeNumber("limit", limit, 1, AlertQueries.MaxLimit), cursor, ct))))
            .RequireAuthorization(Policies.TenantOwnerOrSuperAdmin)
            .WithMetadata(new InvalidInputCode(ErrorCodes.InvalidInput))
            .WithTags("Notifications")
            .WithName("ListTenantAlerts");
        return api;
    }
}
