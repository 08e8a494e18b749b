using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Mwap.Api.Infrastructure.Http;

namespace Mwap.Api.Infrastructure.Security;

internal sealed class SuperAdminRequirement : IAuthorizationRequirement;

/// <summary>Superadmin, or the owner of the tenant whose id is in the route value <see cref="RouteValue"/>.</summary>
internal sealed class TenantAccessRequirement(string routeValue) : IAuthorizationRequirement
{
    public string RouteValue { get; } = routeValue;
}

internal sealed class SuperAdminHandler(IRoleResolver roles) : AuthorizationHandler<SuperAdminRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, SuperAdminRequirement requirement)
    {
        if (context.User.FindFirst("sub")?.Value is { } sub && (await roles.GetAsync(sub)).IsSuperAdmin)
        {
            context.Succeed(requirement);
            return;
        }

        context.Fail(new AuthorizationFailureReason(this, "SuperAdmin access required"));
    }
}

/// <summary>
/// Reads the tenant id from the route and fails closed when it is absent. The services filter by tenant id as
/// well: this is the first lock, not the only one.
/// </summary>
internal sealed class TenantAccessHandler(IRoleResolver roles, IHttpContextAccessor http) : AuthorizationHandler<TenantAccessRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, TenantAccessRequirement requirement)
    {
        var tenantId = http.HttpContext?.Request.RouteValues[requirement.RouteValue] as string;
        if (string.IsNullOrEmpty(tenantId))
        {
            context.Fail(new AuthorizationFailureReason(this, "Tenant ID is required"));
            return;
        }

        if (context.User.FindFirst("sub")?.Value is not { } sub)
        {
            context.Fail();
            return;
        }

        var userRoles = await roles.GetAsync(sub);
        if (userRoles.IsSuperAdmin || string.Equals(userRoles.TenantId, tenantId, StringComparison.OrdinalIgnoreCase))
        {
            context.Succeed(requirement);
            return;
        }

        context.Fail(new AuthorizationFailureReason(this, "Access denied"));
    }
}

internal sealed class AnyTenantOwnerRequirement : IAuthorizationRequirement;

internal sealed class AnyTenantOwnerHandler(IRoleResolver roles) : AuthorizationHandler<AnyTenantOwnerRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AnyTenantOwnerRequirement requirement)
    {
        if (context.User.FindFirst("sub")?.Value is { } sub && await roles.GetAsync(sub) is { } r && (r.IsSuperAdmin || r.IsTenantOwner))
        {
            context.Succeed(requirement);
            return;
        }

        context.Fail(new AuthorizationFailureReason(this, "Tenant owner access required"));
    }
}

/// <summary>At least <see cref="MinimumRole"/> in the project named by the route value <c>id</c>; superadmins pass (MWAP's requireProjectRole, working for everyone).</summary>
internal sealed class ProjectRoleRequirement(string minimumRole) : IAuthorizationRequirement
{
    public string MinimumRole { get; } = minimumRole;
}

internal sealed class ProjectRoleHandler(IRoleResolver roles, IHttpContextAccessor http) : AuthorizationHandler<ProjectRoleRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ProjectRoleRequirement requirement)
    {
        var projectId = (http.HttpContext?.Request.RouteValues["id"] as string)?.ToLowerInvariant();
        if (string.IsNullOrEmpty(projectId))
        {
            context.Fail(new AuthorizationFailureReason(this, "Project ID is required"));
            return;
        }

        if (context.User.FindFirst("sub")?.Value is not { } sub)
        {
            context.Fail();
            return;
        }

        var userRoles = await roles.GetAsync(sub);
        var role = userRoles.RoleIn(projectId);
        if (userRoles.IsSuperAdmin || Features.Projects.ProjectRoles.Rank(role) >= Features.Projects.ProjectRoles.Rank(requirement.MinimumRole))
        {
            context.Succeed(requirement);
            return;
        }

        // A member below the minimum may know the project exists; anyone else gets the answer a missing project gets
        // (MWAP's GET /projects/{id} 404), so no status or message tells a stranger whether the id exists.
        context.Fail(role is not null
            ? new AuthorizationFailureReason(this, $"{requirement.MinimumRole} access required")
            : new NotVisibleFailureReason(this, Features.Projects.ProjectService.NotFoundCode, Features.Projects.ProjectService.NotMemberMessage));
    }
}

/// <summary>A refusal that must look exactly like a missing resource: answered 404 with the resource's own code.</summary>
internal sealed class NotVisibleFailureReason(IAuthorizationHandler handler, string code, string message) : AuthorizationFailureReason(handler, message)
{
    public string Code { get; } = code;
}

/// <summary>Writes MWAP's 403 envelope with the guard's message; challenges go to the bearer handler (401).</summary>
internal sealed class MwapAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailureReasons.OfType<NotVisibleFailureReason>().FirstOrDefault() is { } hidden)
        {
            return ErrorResponseWriter.WriteAsync(context, StatusCodes.Status404NotFound, hidden.Code, hidden.Message);
        }

        if (authorizeResult.Forbidden)
        {
            var message = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message ?? "Access denied";
            return ErrorResponseWriter.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.InsufficientPermissions, message);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
