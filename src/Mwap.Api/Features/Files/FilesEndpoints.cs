using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Mwap.Api.Features.Integrations.Tokens;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Files;

internal static class FilesEndpoints
{
    /// <summary>The project files API (from the index, or live), download links, the download proxy, and sync requests.</summary>
    public static RouteGroupBuilder MapFilesEndpoints(this RouteGroupBuilder api)
    {
        var files = api.MapGroup("/projects/{id}/files").WithTags("Files")
            .WithMetadata(new InvalidInputCode(FileQueryParser.InvalidQueryCode)).RequireAuthorization(Policies.ProjectMember);

        files.MapGet("/", async (string id, string? folderId, string? path, string? folder, string? search, string? type, string? sort, string? order,
                string? limit, string? cursor, string? live, string? recursive, ProjectFiles service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListAsync(ObjectId.Normalize(id),
                    new FileListQuery(folderId, path ?? folder, search, type, sort, order, limit, cursor, live, recursive), ct)))
            .WithName("ListProjectFiles")
            .WithSummary("Lists the project's folder from the file index (or live from the provider with live=true).");

        files.MapGet("/{fileId}/download", async (string id, string fileId, bool? redirect, string? format, HttpRequest request, ProjectFileDownloads service, CancellationToken ct) =>
            {
                var link = await service.GetDownloadAsync(ObjectId.Normalize(id), fileId, format, $"{request.Scheme}://{request.Host}{request.PathBase}", ct);
                return redirect == true ? Results.Redirect(link.Url) : Results.Ok(Envelope.Of(link));
            })
            .WithName("GetProjectFileDownloadLink")
            .WithSummary("A short-lived download link for a file of the project.")
            .WithDescription("Google Docs-editor files download as an export: format=docx|pdf|odt|txt|rtf|epub (Docs, default docx), xlsx|pdf|ods|csv|tsv (Sheets, default xlsx), pptx|pdf|odp|txt (Slides, default pptx), pdf|png|jpg|svg (Drawings, default pdf). 400 file/invalid-format for another; the proxy answers 409 file/export-too-large above Drive's 10 MB export limit.");

        // The link is the credential (sealed, five minutes), so a browser can follow it without our bearer token.
        api.MapGet("/downloads", async (string? token, HttpContext context, ProjectFileDownloads service, CancellationToken ct) =>
            {
                if (string.IsNullOrEmpty(token))
                {
                    throw ProjectFileDownloads.LinkExpired();
                }

                var (upstream, grant) = await service.OpenProxyAsync(token, ct);
                using (upstream)
                {
                    var response = context.Response;
                    response.ContentType = upstream.Content.Headers.ContentType?.ToString() ?? grant.MimeType;
                    if (upstream.Content.Headers.ContentLength is { } length)
                    {
                        response.ContentLength = length;
                    }

                    response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment") { FileNameStar = grant.Name }.ToString();
                    response.Headers[HeaderNames.CacheControl] = "private, no-store";
                    await using var body = await upstream.Content.ReadAsStreamAsync(ct);
                    await body.CopyToAsync(response.Body, ct);
                }

                return Results.Empty;
            })
            .AllowAnonymous()
            .WithTags("Files")
            .WithName("DownloadThroughProxy");

        foreach (var mount in new[] { "integrations", "cloud-integrations" })
        {
            api.MapPost($"/tenants/{{tenantId}}/{mount}/{{integrationId}}/sync", async (string tenantId, string integrationId, bool? full, SyncRequests requests, CancellationToken ct) =>
                    TypedResults.Accepted((string?)null, Envelope.Of(await requests.RequestAsync(ObjectId.Normalize(tenantId), ObjectId.Normalize(integrationId), full == true, ct))))
                .RequireAuthorization(Policies.TenantOwnerOrSuperAdmin)
                .AddEndpointFilter(LimitSyncRequestsAsync)
                .WithTags("Integrations")
                .WithName(mount == "integrations" ? "SyncIntegration" : "SyncIntegrationAlias");
        }

        return api;
    }

    /// <summary>
    /// <c>Integrations:SyncRequestsPerHour</c> per integration, on both mounts and for every caller together (coalesced
    /// requests count too): a sync costs provider quota whoever asks.
    /// </summary>
    private static async ValueTask<object?> LimitSyncRequestsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var limit = http.RequestServices.GetRequiredService<IOptions<IntegrationJobsOptions>>().Value.SyncRequestsPerHour;
        var integrationId = ObjectId.Normalize(http.Request.RouteValues["integrationId"] as string ?? "");
        var (allowed, _, _, reset) = await http.RequestServices.GetRequiredService<UserRateLimiter>()
            .AcquireAsync("sync-requests:" + integrationId, limit, TimeSpan.FromHours(1));
        if (allowed)
        {
            return await next(context);
        }

        var seconds = Math.Max(1, (int)Math.Ceiling((reset - http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()).TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Json(ErrorResponseWriter.Create(http, ErrorCodes.RateLimitExceeded, $"At most {limit} sync requests per hour for one integration; try again later"),
            MwapJson.Options, statusCode: StatusCodes.Status429TooManyRequests);
    }
}
