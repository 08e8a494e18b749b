using System.Security.Claims;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.ProjectTypes;

internal static class ProjectTypesEndpoints
{
    /// <summary>MWAP routes #20–#24: superadmins and tenant owners read; superadmins write.</summary>
    public static RouteGroupBuilder MapProjectTypesEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/project-types").WithTags("ProjectTypes")
            .WithMetadata(new InvalidInputCode(ProjectTypeService.InvalidInputCode));

        group.MapGet("/", async (ProjectTypeService types, CancellationToken ct) => TypedResults.Ok(Envelope.Of(await types.ListAsync(ct))))
            .RequireAuthorization(Policies.AnyTenantOwnerOrSuperAdmin).WithName("ListProjectTypes");

        group.MapGet("/{id}", async (string id, ProjectTypeService types, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Of(await types.GetAsync(ObjectId.Normalize(id), ct))))
            .RequireAuthorization(Policies.AnyTenantOwnerOrSuperAdmin).WithName("GetProjectType");

        group.MapPost("/", async (CreateProjectTypeRequest request, ClaimsPrincipal user, ProjectTypeService types, CancellationToken ct) =>
            {
                var type = await types.CreateAsync(user.GetUserId(), request, ct);
                return TypedResults.Created($"/api/v1/project-types/{type.Id}", Envelope.Of(type));
            })
            .RequireAuthorization(Policies.SuperAdmin).WithRequestValidation(ProjectTypeService.InvalidInputCode).WithName("CreateProjectType");

        group.MapPatch("/{id}", async (string id, UpdateProjectTypeRequest request, ProjectTypeService types, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Of(await types.UpdateAsync(ObjectId.Normalize(id), request, ct))))
            .RequireAuthorization(Policies.SuperAdmin).WithRequestValidation(ProjectTypeService.InvalidInputCode).WithName("UpdateProjectType");

        group.MapDelete("/{id}", async (string id, ProjectTypeService types, CancellationToken ct) =>
            {
                await types.DeleteAsync(ObjectId.Normalize(id), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.SuperAdmin).WithName("DeleteProjectType");

        return api;
    }
}
