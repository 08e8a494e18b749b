using System.Security.Claims;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.CloudProviders;

internal static class CloudProvidersEndpoints
{
    /// <summary>MWAP routes #25–#29: everyone signed in reads (secret redacted); superadmins write.</summary>
    public static RouteGroupBuilder MapCloudProvidersEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/cloud-providers").WithTags("CloudProviders")
            .WithMetadata(new InvalidInputCode(CloudProviderService.InvalidInputCode));

        group.MapGet("/", async (CloudProviderService providers, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await providers.ListAsync(ct)))).WithName("ListCloudProviders");

        group.MapGet("/{id}", async (string id, CloudProviderService providers, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await providers.GetAsync(ObjectId.Normalize(id), ct)))).WithName("GetCloudProvider");

        group.MapPost("/", async (CreateCloudProviderRequest request, ClaimsPrincipal user, CloudProviderService providers, CancellationToken ct) =>
            {
                var provider = await providers.CreateAsync(user.GetUserId(), request, ct);
                return TypedResults.Created($"/api/v1/cloud-providers/{provider.Id}", Envelope.Of(provider));
            })
            .RequireAuthorization(Policies.SuperAdmin)
            .WithRequestValidation(CloudProviderService.InvalidInputCode)
            .WithName("CreateCloudProvider");

        group.MapPatch("/{id}", async (string id, UpdateCloudProviderRequest request, CloudProviderService providers, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Of(await providers.UpdateAsync(ObjectId.Normalize(id), request, ct))))
            .RequireAuthorization(Policies.SuperAdmin)
            .WithRequestValidation(CloudProviderService.InvalidInputCode)
            .WithName("UpdateCloudProvider");

        group.MapDelete("/{id}", async (string id, CloudProviderService providers, CancellationToken ct) =>
            {
                await providers.DeleteAsync(ObjectId.Normalize(id), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.SuperAdmin)
            .WithName("DeleteCloudProvider");

        return api;
    }
}
