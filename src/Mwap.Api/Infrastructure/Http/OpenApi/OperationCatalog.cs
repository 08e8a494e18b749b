namespace Mwap.Api.Infrastructure.Http.OpenApi;

/// <summary>What the OpenAPI document says about one operation beyond what the endpoint's metadata shows.</summary>
/// <param name="Summary">One line (the UI's title of the operation).</param>
/// <param name="Description">Who may call it and what it does.</param>
/// <param name="NotFound">The 404 code when a route id names nothing the caller may see.</param>
/// <param name="Errors">Further errors the route returns (status, code), beyond 400/401/403/404/429.</param>
/// <param name="Example">A request body example (JSON).</param>
internal sealed record OperationDoc(string Summary, string Description, string? NotFound = null, (int Status, string Code)[]? Errors = null,
    string? Example = null);

/// <summary>
/// The operations' summaries, descriptions and errors, keyed by <c>METHOD route</c> (the <c>cloud-integrations</c> alias
/// shares its <c>integrations</c> entry). An endpoint's own <c>.WithSummary</c>/<c>.WithDescription</c> win over this table.
/// </summary>
internal static class OperationCatalog
{
    private const string Tenant = "tenant/not-found";
    private const string Integration = "cloud-integration/not-found";
    private const string Project = "project/not-found";

    private static readonly Dictionary<string, OperationDoc> Docs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GET webhooks/dropbox"] = new("Dropbox webhook verification", "Dropbox's challenge, echoed as text; on only when Webhooks:PublicBaseUrl is set.",
            "webhooks/disabled"),
        ["POST webhooks/dropbox"] = new("Dropbox change notification", "Signed by Dropbox (X-Dropbox-Signature); queues a coalesced incremental sync of each linked account.",
            "webhooks/disabled", [(401, "webhooks/invalid-signature"), (400, "webhooks/invalid-input"), (413, "webhooks/too-large")]),
        ["POST webhooks/microsoft"] = new("Microsoft Graph change notification", "Graph's validationToken echoed as text, or notifications whose clientState matches their subscription's secret; queues a coalesced incremental sync.",
            "webhooks/disabled", [(401, "webhooks/invalid-signature"), (400, "webhooks/invalid-input"), (413, "webhooks/too-large")]),
        ["POST webhooks/google"] = new("Google Drive change notification", "X-Goog-Channel-ID and X-Goog-Channel-Token must match a channel this server opened; queues a coalesced incremental sync.",
            "webhooks/disabled", [(401, "webhooks/invalid-signature")]),

        ["GET console/config"] = new("The console's sign-in settings",
            "Public: the OIDC authority, Console:ClientId, Console:Scopes, the API audience and whether the development sign-in exists; the console at /app reads it at start."),
        ["POST console/dev-sign-in"] = new("Development sign-in",
            "Only in the Development environment without Auth:Authority (absent, 404, everywhere else): mints the token the dev-token verb mints for the subject, email and name sent.",
            Errors: [(400, "console/invalid-input")], Example: """{"sub":"auth0|alice","email":"alice@example.test","name":"Alice"}"""),

        ["GET users/me/roles"] = new("The caller's roles", "Superadmin flag, owned tenant and project roles of the signed-in user."),

        ["GET tenants/me"] = new("The caller's tenant", "The tenant the caller owns (404 when none).", Tenant),
        ["POST tenants"] = new("Create a tenant", "Any signed-in user without a tenant; the caller becomes its owner. Names are unique regardless of case.",
            Errors: [(409, "tenant/already-exists"), (409, "tenant/name-exists")],
            Example: """{"name":"Acme Corp","description":"Our organisation","settings":{"maxProjects":20,"retentionDays":90}}"""),
        ["GET tenants"] = new("List tenants", "Superadmin: every tenant (`includeArchived=true` adds archived ones)."),
        ["GET tenants/{id}"] = new("Get a tenant", "The tenant owner or a superadmin.", Tenant),
        ["PATCH tenants/{id}"] = new("Update a tenant", "The tenant owner or a superadmin: name, description, settings, archived.", Tenant,
            [(409, "tenant/name-exists")], """{"description":"New description","settings":{"allowPublicProjects":false}}"""),
        ["DELETE tenants/{id}"] = new("Delete a tenant", "Superadmin: removes the tenant and everything it owns.", Tenant),

        ["GET tenants/{tenantId}/integrations"] = new("List a tenant's integrations", "The tenant owner or a superadmin; tokens are never returned.", Tenant),
        ["POST tenants/{tenantId}/integrations"] = new("Create an integration", "The tenant owner or a superadmin; it stays pending until connected through OAuth.", Tenant,
            [(409, "cloud-integration/already-exists"), (404, "cloud-integration/provider-not-found")], """{"providerId":"6b0cc46f5a9c97a6bac22d67"}"""),
        ["GET tenants/{tenantId}/integrations/{integrationId}"] = new("Get an integration", "Status, provider, health, usage and sync state; tokens are never returned.", Integration),
        ["PATCH tenants/{tenantId}/integrations/{integrationId}"] = new("Update an integration", "The tenant owner or a superadmin: metadata and status.", Integration,
            Example: """{"metadata":{"label":"Team drive"}}"""),
        ["DELETE tenants/{tenantId}/integrations/{integrationId}"] = new("Delete an integration", "Revokes its tokens at the provider where supported; refused while projects use it.", Integration,
            [(409, "cloud-integration/in-use")]),
        ["POST tenants/{tenantId}/integrations/{integrationId}/refresh-token"] = new("Refresh an integration's tokens now", "The tenant owner or a superadmin.", Integration,
            [(400, "cloud-integration/not-active")]),
        ["POST tenants/{tenantId}/integrations/{integrationId}/test"] = new("Test an integration's connection", "Calls the provider's account API with the stored token.", Integration),
        ["GET tenants/{tenantId}/integrations/{integrationId}/health"] = new("An integration's health", "The last health check, or a fresh one.", Integration),
        ["GET tenants/{tenantId}/integrations/{integrationId}/folders"] = new("Browse the account's folders", "Folders of the connected account (`folderId`, `path`, `cursor`).", Integration,
            [(400, "cloud-integration/not-active")]),
        ["POST tenants/{tenantId}/integrations/{integrationId}/sync"] = new("Request a file sync", "The tenant owner or a superadmin; `full=true` walks the whole account. Answers 202 with the job id.", Integration,
            [(400, "cloud-integration/not-active")]),

        ["POST oauth/tenants/{tenantId}/integrations/{integrationId}/initiate"] = new("Start the OAuth connect flow",
            "The tenant owner: answers the provider's `authorizationUrl` (open it in the same browser; the callback finishes the flow).", Integration),
        ["POST oauth/tenants/{tenantId}/integrations/{integrationId}/refresh"] = new("Refresh tokens (MWAP route)", "Same as refresh-token.", Integration),
        ["POST oauth/tenants/{tenantId}/integrations/{integrationId}/reset"] = new("Reset a connect flow", "Drops a started flow so a new one can begin.", Integration),
        ["GET oauth/callback"] = new("OAuth callback", "Public: the provider redirects here; the result is a redirect to the success or error page."),
        ["GET oauth/security/metrics"] = new("OAuth security metrics", "Superadmin: callback outcomes counted from the audit log (`timeWindow` in ms)."),
        ["GET oauth/security/alerts"] = new("OAuth security alerts", "Superadmin: suspicious callback patterns of the last hour."),
        ["GET oauth/security/patterns"] = new("OAuth attack patterns", "Superadmin: failed callbacks grouped by address and reason."),
        ["GET oauth/security/report"] = new("OAuth security report", "Superadmin: a summary of the above."),
        ["GET oauth/security/validate/data-exposure"] = new("Check for secret exposure", "Superadmin: verifies that no stored token is readable in plain text."),
        ["GET oauth/security/validate/attack-vectors"] = new("List the defended attack vectors", "Superadmin: the connect flow's protections."),

        ["GET project-types"] = new("List project types", "Any signed-in user."),
        ["GET project-types/{id}"] = new("Get a project type", "Any signed-in user.", "project-type/not-found"),
        ["POST project-types"] = new("Create a project type", "Superadmin. `configSchema` is MWAP's flat field map or a JSON Schema.", Errors: [(409, "project-type/name-exists")],
            Example: """{"name":"Client folder","description":"A client's documents","configSchema":{"clientCode":{"type":"string","required":true}},"isActive":true}"""),
        ["PATCH project-types/{id}"] = new("Update a project type", "Superadmin.", "project-type/not-found", [(409, "project-type/name-exists")], """{"isActive":false}"""),
        ["DELETE project-types/{id}"] = new("Delete a project type", "Superadmin; refused while projects use it.", "project-type/not-found", [(409, "project-type/in-use")]),

        ["GET cloud-providers"] = new("List cloud providers", "Any signed-in user; the client secret always reads [REDACTED]."),
        ["GET cloud-providers/{id}"] = new("Get a cloud provider", "Any signed-in user.", "cloud-provider/not-found"),
        ["POST cloud-providers"] = new("Register a cloud provider", "Superadmin. `metadata.apiBaseUrl` overrides the provider's API base (e.g. a local fake).",
            Errors: [(409, "cloud-provider/name-exists"), (409, "cloud-provider/slug-exists")],
            Example: """{"name":"Dropbox","slug":"dropbox","scopes":["files.metadata.read","files.content.read","account_info.read"],"authUrl":"https://www.dropbox.com/oauth2/authorize","tokenUrl":"https://api.dropboxapi.com/oauth2/token","clientId":"app-key","clientSecret":"app-secret"}"""),
        ["PATCH cloud-providers/{id}"] = new("Update a cloud provider", "Superadmin.", "cloud-provider/not-found", [(409, "cloud-provider/name-exists")], """{"scopes":["files.metadata.read"]}"""),
        ["DELETE cloud-providers/{id}"] = new("Delete a cloud provider", "Superadmin; refused while integrations use it.", "cloud-provider/not-found", [(409, "cloud-provider/in-use")]),

        ["GET projects"] = new("List projects", "The caller's projects; superadmins may pass `all=true`."),
        ["GET projects/{id}"] = new("Get a project", "Project members.", Project),
        ["POST projects"] = new("Create a project", "The tenant owner: a project of a type, on a folder of a connected integration.",
            Errors: [(409, "project/name-exists"), (400, "project/max-projects-reached"), (404, "project/cloud-integration-not-found")],
            Example: """{"tenantId":"6b0cc4705a9c97a6bac22d69","projectTypeId":"6b0cc4715a9c97a6bac22d6b","cloudIntegrationId":"6b0cc4725a9c97a6bac22d6d","folderpath":"/Documents","name":"Quarterly reports","config":{}}"""),
        ["PATCH projects/{id}"] = new("Update a project", "Deputies and owners of the project.", Project, [(409, "project/name-exists")], """{"description":"Reports for 2026"}"""),
        ["DELETE projects/{id}"] = new("Delete a project", "Owners of the project.", Project),
        ["GET projects/{id}/members"] = new("List a project's members", "Project members.", Project),
        ["GET projects/{id}/members/me"] = new("The caller's membership", "The caller's role in the project.", Project),
        ["POST projects/{id}/members"] = new("Add a member", "Deputies and owners (owners only for the OWNER role).", Project,
            [(409, "project/member-already-exists"), (400, "project/max-members-reached")], """{"userId":"auth0|bob","role":"MEMBER"}"""),
        ["PATCH projects/{id}/members/{userId}"] = new("Change a member's role", "Deputies and owners.", "project/member-not-found", [(400, "project/owner-required")],
            """{"role":"DEPUTY"}"""),
        ["DELETE projects/{id}/members/{userId}"] = new("Remove a member", "Deputies and owners; the last owner stays.", "project/member-not-found", [(400, "project/owner-required")]),

        ["GET projects/{id}/files"] = new("List a project's files", "Project members: the project's folder from the file index, paged (`limit`, `cursor`), or live from the provider with `live=true`.",
            Project, [(400, "file/invalid-path"), (400, "file/invalid-query"), (404, "file/folder-not-found")]),
        ["GET projects/{id}/files/{fileId}/download"] = new("Get a download link", "Project members: a short-lived link (`redirect=true` answers 302).", "file/not-found",
            [(400, "file/is-folder")]),
        ["GET downloads"] = new("Download through the server", "Streams a Drive file for a sealed, five-minute token from the download link route.", "file/not-found",
            [(400, "file/link-expired")]),

        ["GET tenants/{tenantId}/audit-logs"] = new("A tenant's audit log", "The tenant owner or a superadmin; newest first; filters `action`, `actor`, `targetType`, `targetId`, `from`, `to`.", Tenant),
        ["GET admin/audit-logs"] = new("The platform's audit log", "Superadmin; as the tenant route, plus `tenantId`."),
        ["GET tenants/{tenantId}/usage"] = new("A tenant's usage", "The tenant owner or a superadmin: daily figures between `from` and `to` (YYYY-MM-DD).", Tenant),
        ["GET tenants/{tenantId}/alerts"] = new("A tenant's integration alerts", "The tenant owner or a superadmin; newest first, `limit` 1–200 and `cursor`.", Tenant),

        ["GET admin/monitoring/database"] = new("Database monitoring", "Superadmin: size, connections, tables and slow statements."),
        ["GET admin/monitoring/integrations"] = new("Integration monitoring", "Superadmin: counts by status and health, failing integrations."),
        ["GET admin/jobs"] = new("List background jobs", "Superadmin: recurring jobs, servers online and recent failures."),
        ["POST admin/jobs/{name}/trigger"] = new("Run a recurring job now", "Superadmin; answers 202 with the job id.", "job/not-found"),
        ["POST admin/jobs/dashboard-link"] = new("Get a dashboard link", "Superadmin: a five-minute link that opens the jobs dashboard in a browser."),
    };

    public static OperationDoc? Find(string method, string relativePath)
    {
        var path = relativePath.Trim('/');
        if (path.StartsWith("api/v1/", StringComparison.Ordinal))
        {
            path = path["api/v1/".Length..];
        }

        path = path.Replace("/cloud-integrations", "/integrations", StringComparison.Ordinal);
        return Docs.GetValueOrDefault($"{method} {path}");
    }
}
