using Hangfire;
using Hangfire.Dashboard;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Operations;

/// <summary>
/// Hangfire's dashboard at <c>/admin/jobs</c>. A browser cannot send our bearer token, so a superadmin asks the API for
/// a short-lived link (<c>POST /api/v1/admin/jobs/dashboard-link</c>); opening <c>/admin/jobs?access=…</c> swaps it for
/// an HttpOnly, SameSite=Strict cookie scoped to <c>/admin/jobs</c> and redirects, so the token leaves the address bar.
/// Every dashboard request then needs that cookie and a user who is still a superadmin (read from the table, not the cache).
/// </summary>
internal static class JobsDashboard
{
    public const string Path = "/admin/jobs";
    public const string CookieName = "mwap-jobs-dashboard";

    // Hangfire's pages use their own scripts and inline styles; nothing leaves the origin.
    private const string DashboardCsp = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        var options = new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [new CookieAuthorizationFilter()],
            AppPath = null,
            DashboardTitle = "MWAP jobs",
            DisplayStorageConnectionString = false,
        };
        var dashboard = ((IEndpointRouteBuilder)app).CreateApplicationBuilder()
            .UsePathBase(Path)
            .UseMiddleware<AspNetCoreDashboardMiddleware>(app.Services.GetRequiredService<JobStorage>(), options,
                app.Services.GetRequiredService<Hangfire.Dashboard.RouteCollection>())
            .Build();

        app.Map(Path + "/{**path}", async context =>
        {
            context.Response.Headers.ContentSecurityPolicy = DashboardCsp;
            context.Response.Headers.CacheControl = "no-store";
            if (context.Request.Query.ContainsKey("access"))
            {
                await ExchangeLinkAsync(context);
                return;
            }

            await dashboard(context);
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task ExchangeLinkAsync(HttpContext context)
    {
        var access = context.RequestServices.GetRequiredService<DashboardAccess>();
        var userId = access.Validate(context.Request.Query["access"], DashboardAccess.LinkPurpose);
        if (userId is null || !await IsSuperAdminAsync(context, userId))
        {
            await ErrorResponseWriter.WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorCodes.InvalidToken,
                "The dashboard link is invalid or has expired; ask the API for a new one");
            return;
        }

        var (session, expiresAt) = access.Issue(DashboardAccess.SessionPurpose, userId);
        context.Response.Cookies.Append(CookieName, session, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = Path,
            Expires = expiresAt,
            IsEssential = true,
        });
        context.Response.Redirect(Path + "/");
    }

    private static Task<bool> IsSuperAdminAsync(HttpContext context, string userId) =>
        context.RequestServices.GetRequiredService<MwapDbContext>().SuperAdmins.AsNoTracking()
            .AnyAsync(s => s.UserId == userId, context.RequestAborted);

    private sealed class CookieAuthorizationFilter : IDashboardAsyncAuthorizationFilter
    {
        public async Task<bool> AuthorizeAsync(DashboardContext context)
        {
            var http = context.GetHttpContext();
            var userId = http.RequestServices.GetRequiredService<DashboardAccess>()
                .Validate(http.Request.Cookies[CookieName], DashboardAccess.SessionPurpose);
            return userId is not null && await IsSuperAdminAsync(http, userId);
        }
    }
}
