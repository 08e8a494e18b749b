using System.Security.Claims;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Integrations.OAuth;

internal static class OAuthEndpoints
{
    /// <summary>MWAP routes #41–#46: the public callback and result pages, and the owner's initiate / refresh / reset.</summary>
    public static RouteGroupBuilder MapOAuthEndpoints(this RouteGroupBuilder api, WebApplication app)
    {
        var oauth = api.MapGroup("/oauth").WithTags("OAuth");

        oauth.MapGet("/callback", async (string? code, string? state, string? error, HttpContext http, OAuthService service, CancellationToken ct) =>
            {
                var result = await service.CallbackAsync(code, state, error, BaseUrl(http), name => http.Request.Cookies[name], ct);
                if (result.IntegrationId is { } spent && http.Request.Cookies.ContainsKey(OAuthBrowserBinding.CookieName(spent)))
                {
                    // The flow is gone either way; its binding cookie has nothing left to prove.
                    http.Response.Cookies.Append(OAuthBrowserBinding.CookieName(spent), "", OAuthBrowserBinding.CookieOptions(http.Request.Path, TimeSpan.Zero));
                }

                return Results.Redirect(result.Location);
            })
            .AllowAnonymous().WithName("OAuthCallback");

        foreach (var root in new IEndpointRouteBuilder[] { oauth, app.MapGroup("/oauth").WithTags("OAuth") })
        {
            root.MapGet("/success", (string? tenantId, string? integrationId, OAuthPages pages) => pages.Success(tenantId, integrationId))
                .AllowAnonymous().ExcludeFromDescription();
            root.MapGet("/error", (string? message, string? code, OAuthPages pages) => pages.Error(message, code))
                .AllowAnonymous().ExcludeFromDescription();
        }

        var owner = oauth.MapGroup("/tenants/{tenantId}/integrations/{integrationId}")
            .RequireAuthorization(Policies.TenantOwnerOrSuperAdmin).WithMetadata(new InvalidInputCode(IntegrationService.InvalidInputCode));

        // The response sets the browser-binding cookie: call it from the browser that will open the authorization URL
        // (same-origin, or fetch with credentials: "include" from an allowed origin of the same site).
        owner.MapPost("/initiate", async (string tenantId, string integrationId, ClaimsPrincipal user, HttpContext http, OAuthService service, CancellationToken ct) =>
            {
                var flow = await service.InitiateAsync(ObjectId.Normalize(tenantId), ObjectId.Normalize(integrationId), user.GetUserId(), BaseUrl(http), ct);
                http.Response.Cookies.Append(OAuthBrowserBinding.CookieName(flow.IntegrationId), flow.BrowserBinding,
                    OAuthBrowserBinding.CookieOptions(flow.CallbackPath, flow.Lifetime));
                return TypedResults.Ok(Envelope.Of(flow.Response));
            })
            .WithName("InitiateOAuth");

        owner.MapPost("/refresh", async (string tenantId, string integrationId, IntegrationOperations ops, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Of(await ops.RefreshNowAsync(ObjectId.Normalize(tenantId), ObjectId.Normalize(integrationId), ct))))
            .WithName("RefreshOAuthTokens");

        owner.MapPost("/reset", async (string tenantId, string integrationId, OAuthService service, CancellationToken ct) =>
            {
                await service.ResetAsync(ObjectId.Normalize(tenantId), ObjectId.Normalize(integrationId), ct);
                return TypedResults.Ok(Envelope.Of(new { success = true }));
            })
            .WithName("ResetOAuthFlow");

        return api;
    }

    private static string BaseUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
}
