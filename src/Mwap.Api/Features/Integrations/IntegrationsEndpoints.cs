using System.Security.Claims;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Integrations;

internal static class IntegrationsEndpoints
{
    /// <summary>MWAP routes #11–#15, mounted at both <c>integrations</c> and <c>cloud-integrations</c>.</summary>
    public static RouteGroupBuilder MapIntegrationsEndpoints(this RouteGroupBuilder api)
    {
        foreach (var mount in new[] { "integrations", "cloud-integrations" })
        {
            Map(api.MapGroup($"/tenants/{{tenantId}}/{mount}").WithTags("Integrations"), mount);
        }

        return api;
    }

    private static void Map(RouteGroupBuilder group, string mount)
    {
        group.WithMetadata(new InvalidInputCode(IntegrationService.InvalidInputCode)).RequireAuthorization(Policies.TenantOwnerOrSuperAdmin);
        var suffix = mount == "integrations" ? "" : "Alias";

        group.MapGet("/", async (string tenantId, IntegrationService integrations, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await integrations.ListAsync(ObjectId.Normalize(tenantId), ct)))).WithName("ListIntegrations" + suffix);

        group.MapPost("/", async (string tenantId, CreateIntegrationRequest request, ClaimsPrincipal user, IntegrationService integrations, CancellationToken ct) =>
            {
                var integration = await integrations.CreateAsync(ObjectId.Normalize(tenantId), user.GetUserId(), request, ct);
                return TypedResults.Created($"/api/v1/tenants/{integration.TenantId}/{mount}/{integration.Id}", Envelope.Of(integration));
            })
            .WithRequestValidation(IntegrationService.InvalidInputCode).WithName("CreateIntegration" + suffix);

        group.MapGet("/{integrationId}", async (string tenantId, string integrationId, IntegrationService integrations, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Of(await integrations.GetAsync(ObjectId.Normalize(tenantId), ObjectId.Normalize(integrationId), ct))))
            .WithName("GetIntegration" + suffix);

        group.MapPatch("/{integrationId}", async (string tenantId, string integrationId, UpdateIntegrationRequest request, IntegrationService integrations, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Of(await integrations.UpdateAsync(ObjectId.Normalize(tenantId), ObjectId.Normalize(integrationId), request, ct))))
            .WithRequestValidation(IntegrationService.InvalidInputCode).WithName("UpdateIntegration" + suffix);

        group.MapDelete("/{integrationId}", async (string tenantId, string integrationId, IntegrationService integrations, CancellationToken ct) =>
            {
                await integrations.DeleteAsync(ObjectId.Normalize(tenantId), ObjectId.Normalize(integrationId), ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteIntegration" + suffix);
    }
}
