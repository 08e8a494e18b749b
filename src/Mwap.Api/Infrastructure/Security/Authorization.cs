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

/// <summary>Writes MWAP's 403 envelope with the guard's message; challenges go to the bearer handler (401).</summary>
internal sealed class MwapAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden)
        {
            var message = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message ?? "Access denied";
            return ErrorResponseWriter.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.InsufficientPermissions, message);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
