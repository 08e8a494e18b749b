using System.Security.Claims;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Users;

/// <summary>The roles document MWAP's client reads on sign-in (spec §5.3, §16).</summary>
internal sealed record UserRolesResponse(string UserId, bool IsSuperAdmin, bool IsTenantOwner, string? TenantId, IReadOnlyList<ProjectRole> ProjectRoles);

internal static class UsersEndpoints
{
    /// <summary>MWAP route #4.</summary>
    public static RouteGroupBuilder MapUsersEndpoints(this RouteGroupBuilder api)
    {
        api.MapGroup("/users").WithTags("Users")
            .MapGet("/me/roles", async (ClaimsPrincipal user, IRoleResolver roles, CancellationToken ct) =>
            {
                var r = await roles.GetAsync(user.GetUserId(), ct);
                return TypedResults.Ok(Envelope.Of(new UserRolesResponse(r.UserId, r.IsSuperAdmin, r.IsTenantOwner, r.TenantId, r.ProjectRoles)));
            })
            .WithName("GetMyRoles");
        return api;
    }
}
