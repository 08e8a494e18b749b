using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Usage;

internal static class UsageEndpoints
{
    /// <summary><c>GET /tenants/{tenantId}/usage?from=YYYY-MM-DD&amp;to=YYYY-MM-DD</c> (tenant owner, superadmin).</summary>
    public static RouteGroupBuilder MapUsageEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/tenants/{tenantId}/usage", async (string tenantId, string? from, string? to, UsageQueries usage, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Of(await usage.GetAsync(ObjectId.Normalize(tenantId), from, to, ct))))
            .RequireAuthorization(Policies.TenantOwnerOrSuperAdmin)
            .WithMetadata(new InvalidInputCode(ErrorCodes.InvalidInput))
            .WithTags("Usage")
            .WithName("GetTenantUsage");
        return api;
    }
}
