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
/// A link works once: its exchange is recorded (<see cref="DashboardLinkUse"/>), and a second exchange is refused.
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
        var token = context.Request.Query["access"].ToString();
        var userId = access.Validate(token, DashboardAccess.LinkPurpose);
        if (userId is null || !await IsSuperAdminAsync(context, userId) || !await ConsumeAsync(context, token))
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

    /// <summary>Marks the link used; false when it already was (a link opens the dashboard once, on any instance).</summary>
    private static async Task<bool> ConsumeAsync(HttpContext context, string token)
    {
        var db = context.RequestServices.GetRequiredService<MwapDbContext>();
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        await db.Set<DashboardLinkUse>().Where(u => u.ExpiresAt < now).ExecuteDeleteAsync(context.RequestAborted);
        db.Add(new DashboardLinkUse
        {
            Id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))),
            // A link's own expiry is at most this far away; after it the row guards nothing.
            ExpiresAt = now.Add(DashboardAccess.LinkLifetime),
        });
        try
        {
            await db.SaveChangesAsync(context.RequestAborted);
            return true;
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            return false;
        }
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
