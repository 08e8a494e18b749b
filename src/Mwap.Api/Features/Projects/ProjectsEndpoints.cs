using System.Security.Claims;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Projects;

internal static class ProjectsEndpoints
{
    /// <summary>MWAP routes #30–#34, with the role guards working for every user.</summary>
    public static RouteGroupBuilder MapProjectsEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/projects").WithTags("Projects").WithMetadata(new InvalidInputCode(ProjectService.InvalidInputCode));

        group.MapGet("/", async (bool? all, ClaimsPrincipal user, IRoleResolver roles, ProjectService projects, CancellationToken ct) =>
            {
                var userId = user.GetUserId();
                if (all == true && !(await roles.GetAsync(userId, ct)).IsSuperAdmin)
                {
                    throw new ForbiddenException("SuperAdmin access required");
                }

                return TypedResults.Ok(Envelope.Of(await projects.ListAsync(userId, all == true, ct)));
            })
            .WithName("ListProjects");

        group.MapGet("/{id}", async (string id, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Of(await projects.GetAsync(user.GetUserId(), ObjectId.Normalize(id), ct))))
            .WithName("GetProject");

        group.MapPost("/", async (CreateProjectRequest request, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
            {
                var project = await projects.CreateAsync(user.GetUserId(), request, ct);
                return TypedResults.Created($"/api/v1/projects/{project.Id}", Envelope.Of(project));
            })
            .WithRequestValidation(ProjectService.InvalidInputCode)
            .WithName("CreateProject");

        group.MapPatch("/{id}", async (string id, UpdateProjectRequest request, HttpContext context, ProjectService projects, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Of(await projects.UpdateAsync(ObjectId.Normalize(id), request, AuditActor.Of(context), ct))))
            .RequireAuthorization(Policies.ProjectDeputy)
            .WithRequestValidation(ProjectService.InvalidInputCode)
            .WithName("UpdateProject");

        group.MapDelete("/{id}", async (string id, ProjectService projects, CancellationToken ct) =>
            {
                await projects.DeleteAsync(ObjectId.Normalize(id), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.ProjectOwner)
            .WithName("DeleteProject");

        return api;
    }
}
