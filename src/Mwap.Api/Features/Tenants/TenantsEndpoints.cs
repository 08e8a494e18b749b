using System.Security.Claims;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Tenants;

internal static class TenantsEndpoints
{
    /// <summary>MWAP routes #5–#10 (spec §6.2).</summary>
    public static RouteGroupBuilder MapTenantsEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tenants").WithTags("Tenants").WithMetadata(new InvalidInputCode(ErrorCodes.InvalidInput));

        group.MapGet("/me", async (ClaimsPrincipal user, TenantService tenants, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Of(await tenants.GetMineAsync(user.GetUserId(), OwnerEmails.From(user), ct))))
            .WithName("GetMyTenant");

        group.MapPost("/", async (CreateTenantRequest request, ClaimsPrincipal user, TenantService tenants, CancellationToken ct) =>
            {
                var tenant = await tenants.CreateAsync(user.GetUserId(), OwnerEmails.From(user), request, ct);
                return TypedResults.Created($"/api/v1/tenants/{tenant.Id}", Envelope.Of(tenant));
            })
            .WithRequestValidation(ErrorCodes.InvalidInput)
            .WithName("CreateTenant");

        group.MapGet("/", async (string? includeArchived, TenantService tenants, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Of(await tenants.ListAsync(includeArchived == "true", ct))))
            .RequireAuthorization(Policies.SuperAdmin)
            .WithName("ListTenants");

        group.MapGet("/{id}", async (string id, TenantService tenants, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Of(await tenants.GetAsync(ObjectId.Normalize(id), ct))))
            .RequireAuthorization(Policies.TenantOwnerOrSuperAdminById)
            .WithName("GetTenant");

        group.MapPatch("/{id}", async (string id, UpdateTenantRequest request, TenantService tenants, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Of(await tenants.UpdateAsync(ObjectId.Normalize(id), request, ct))))
            .RequireAuthorization(Policies.TenantOwnerOrSuperAdminById)
            .WithRequestValidation(ErrorCodes.InvalidInput)
            .WithName("UpdateTenant");

        group.MapDelete("/{id}", async (string id, TenantService tenants, CancellationToken ct) =>
            {
                await tenants.DeleteAsync(ObjectId.Normalize(id), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.SuperAdmin)
            .WithName("DeleteTenant");

        return api;
    }
}
