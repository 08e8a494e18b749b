using Mwap.Api.Features.AuditLog;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Operations;

/// <summary>Superadmin monitoring and job routes under <c>/api/v1/admin</c>.</summary>
internal static class OperationsEndpoints
{
    public static RouteGroupBuilder MapOperationsEndpoints(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin").WithTags("Operations").RequireAuthorization(Policies.SuperAdmin);

        admin.MapGet("/monitoring/database", async (DatabaseMonitor monitor, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await monitor.ReportAsync(ct)))).WithName("GetDatabaseMonitoring");

        admin.MapGet("/monitoring/integrations", async (IntegrationMonitor monitor, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await monitor.ReportAsync(ct)))).WithName("GetIntegrationsMonitoring");

        admin.MapGet("/jobs", (JobsMonitor jobs) => TypedResults.Ok(Envelope.Of(jobs.Report()))).WithName("ListJobs");

        admin.MapPost("/jobs/{name}/trigger", (string name, JobsMonitor jobs, IAuditLog audit, MwapDbContext db, CancellationToken ct) =>
            TriggerAsync(name, jobs, audit, db, ct)).WithName("TriggerJob");

        admin.MapPost("/jobs/dashboard-link", async (HttpContext http, DashboardAccess access, IAuditLog audit, MwapDbContext db, CancellationToken ct) =>
        {
            var (token, expiresAt) = access.Issue(DashboardAccess.LinkPurpose, http.User.FindFirst("sub")!.Value);
            var path = $"{JobsDashboard.Path}?access={Uri.EscapeDataString(token)}";
            audit.Record("jobs.dashboard.link", "jobs-dashboard", null, null);
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(Envelope.Of(new { url = $"{http.Request.Scheme}://{http.Request.Host}{path}", path, expiresAt }));
        }).WithName("CreateJobsDashboardLink");

        return api;
    }

    private static async Task<IResult> TriggerAsync(string name, JobsMonitor jobs, IAuditLog audit, MwapDbContext db, CancellationToken ct)
    {
        var triggered = jobs.Trigger(name);
        audit.Record("jobs.trigger", "job", name, null, new { jobId = triggered.JobId });
        await db.SaveChangesAsync(ct);
        return TypedResults.Json(Envelope.Of(triggered), MwapJson.Options, statusCode: StatusCodes.Status202Accepted);
    }
}
