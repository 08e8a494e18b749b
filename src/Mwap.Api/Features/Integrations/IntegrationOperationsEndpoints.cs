using Mwap.Api.Features.Integrations.Health;
using Mwap.Api.Features.Integrations.Providers;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Integrations;

internal static class IntegrationOperationsEndpoints
{
    /// <summary>MWAP routes #16–#19 under both mounts, with MWAP's own response shapes.</summary>
    public static RouteGroupBuilder MapIntegrationOperationsEndpoints(this RouteGroupBuilder api)
    {
        foreach (var mount in new[] { "integrations", "cloud-integrations" })
        {
            var suffix = mount == "integrations" ? "" : "Alias";
            var group = api.MapGroup($"/tenants/{{tenantId}}/{mount}/{{integrationId}}").WithTags("Integrations")
                .WithMetadata(new InvalidInputCode(IntegrationService.InvalidInputCode)).RequireAuthorization(Policies.TenantOwnerOrSuperAdmin);

            // MWAP double-wraps this response; clients read data.data.
            group.MapPost("/refresh-token", async (string tenantId, string integrationId, IntegrationOperations ops, CancellationToken ct) =>
                    TypedResults.Ok(Envelope.Of(Envelope.Of(await ops.RefreshNowAsync(ObjectId.Normalize(tenantId), ObjectId.Normalize(integrationId), ct)))))
                .WithName("RefreshIntegrationToken" + suffix);

            group.MapPost("/test", async (string tenantId, string integrationId, IntegrationOperations ops, CancellationToken ct) =>
                    TypedResults.Ok(await ops.TestAsync(ObjectId.Normalize(tenantId), ObjectId.Normalize(integrationId), ct)))
                .WithRouteLimit("test", 10, 60, "Too many connection tests. Please try again later.", "integrationId")
                .WithName("TestIntegration" + suffix);

            group.MapGet("/health", async (string tenantId, string integrationId, IntegrationOperations ops, IntegrationHealthService health, CancellationToken ct) =>
                {
                    // A missing integration is an error in the MWAP health shape (always 200), scoped to the tenant.
                    await ops.EnsureInTenantAsync(ObjectId.Normalize(tenantId), ObjectId.Normalize(integrationId), ct);
                    return TypedResults.Ok(Envelope.Of(await health.CheckAsync(ObjectId.Normalize(integrationId), ct)));
                })
                .WithName("CheckIntegrationHealth" + suffix);

            group.MapGet("/folders", async (string tenantId, string integrationId, string? folderId, string? path, string? cursor, string? containerId,
                    IntegrationOperations ops, CancellationToken ct) =>
                {
                    var normalizedPath = string.IsNullOrWhiteSpace(path) ? "/" : path.Trim();
                    if (!normalizedPath.StartsWith('/') || normalizedPath.Split('/').Any(s => s is ".." or "."))
                    {
                        throw new BadRequestException("validation/invalid-input", "path must be absolute and must not contain '.' or '..'");
                    }

                    var query = new FolderQuery(string.IsNullOrWhiteSpace(folderId) ? null : folderId.Trim(), normalizedPath,
                        string.IsNullOrWhiteSpace(cursor) ? null : cursor.Trim());
                    return TypedResults.Ok(await ops.ListFoldersAsync(ObjectId.Normalize(tenantId), ObjectId.Normalize(integrationId), query, ct));
                })
                .WithRouteLimit("folders", 60, 60, "Too many folder browsing requests. Please try again later.", "tenantId", "integrationId")
                .WithName("BrowseIntegrationFolders" + suffix);
        }

        return api;
    }
}
