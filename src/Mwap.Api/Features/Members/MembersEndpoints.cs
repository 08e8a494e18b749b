using System.Security.Claims;
using Mwap.Api.Features.Projects;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Members;

internal static class MembersEndpoints
{
    /// <summary>MWAP routes #35–#39. Member writes answer 204, as MWAP.</summary>
    public static RouteGroupBuilder MapMembersEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/projects/{id}/members").WithTags("Members").WithMetadata(new InvalidInputCode(ProjectService.InvalidInputCode));

        group.MapGet("/", async (string id, MemberService members, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Of(await members.ListAsync(ObjectId.Normalize(id), ct))))
            .RequireAuthorization(Policies.ProjectMember)
            .WithName("ListProjectMembers");

        group.MapGet("/me", async (string id, ClaimsPrincipal user, MemberService members, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Of(await members.GetMineAsync(user.GetUserId(), ObjectId.Normalize(id), ct))))
            .WithName("GetMyProjectMembership");

        group.MapPost("/", async (string id, AddMemberRequest request, ClaimsPrincipal user, MemberService members, CancellationToken ct) =>
            {
                await members.AddAsync(user.GetUserId(), ObjectId.Normalize(id), request, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.ProjectDeputy)
            .WithRequestValidation(ProjectService.InvalidInputCode)
            .WithName("AddProjectMember");

        group.MapPatch("/{userId}", async (string id, string userId, UpdateMemberRequest request, MemberService members, CancellationToken ct) =>
            {
                await members.UpdateRoleAsync(ObjectId.Normalize(id), userId, request, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.ProjectOwner)
            .WithRequestValidation(ProjectService.InvalidInputCode)
            .WithName("UpdateProjectMember");

        group.MapDelete("/{userId}", async (string id, string userId, MemberService members, CancellationToken ct) =>
            {
                await members.RemoveAsync(ObjectId.Normalize(id), userId, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.ProjectOwner)
            .WithName("RemoveProjectMember");

        return api;
    }
}
