using System.Text.Json.Nodes;
using Mwap.FakeProviders.Hosting;
using Mwap.FakeProviders.OAuth;

namespace Mwap.FakeProviders.Microsoft;

/// <summary>
/// Microsoft under <c>/microsoft</c>: login.microsoftonline.com at the root (any tenant segment: common,
/// organizations, consumers or an id) and graph.microsoft.com at <c>/microsoft/graph</c>.
/// </summary>
internal static class MicrosoftEndpoints
{
    public static void MapMicrosoft(this WebApplication app, FakeProviderState provider)
    {
        app.MapGet(ProviderPaths.Microsoft + "/{tenant}/oauth2/v2.0/authorize", (HttpContext context, string tenant) =>
            WrongAuthority(provider, tenant) is { } refused ? FakeResult.Text(refused, 400) : AuthorizeEndpoint.Handle(context, provider));
        app.MapPost(ProviderPaths.Microsoft + "/{tenant}/oauth2/v2.0/token", async Task<IResult> (HttpContext context, string tenant) =>
            WrongAuthority(provider, tenant) is { } refused
                ? FakeResult.TokenJson(new JsonObject
                {
                    ["error"] = "invalid_request",
                    ["error_description"] = refused,
                    ["error_codes"] = new JsonArray(50194),
                }, 400)
                : await TokenEndpoint.HandleAsync(context, provider));

        var graph = app.MapGroup(ProviderPaths.Graph + "/v1.0");
        graph.MapGet("/me", (HttpContext context) => Me(context, provider));
        graph.MapGet("/me/drive", (HttpContext context) => Drive(context, provider));
        graph.MapPost("/me/revokeSignInSessions", (HttpContext context) => RevokeSignInSessions(context, provider));
        graph.MapGraphSubscriptions(provider);
        app.MapGraphDrive(provider);
    }

    /// <summary>
    /// A single-tenant app registration (<see cref="FakeProviderState.SingleTenant"/>) is only served on its own
    /// tenant's endpoints; the shared ones answer AADSTS50194, as Microsoft does for apps created after October 2018.
    /// </summary>
    private static string? WrongAuthority(FakeProviderState provider, string tenant) =>
        provider.SingleTenant is { } own && !string.Equals(tenant, own, StringComparison.OrdinalIgnoreCase)
            ? $"AADSTS50194: Application '{provider.ClientId}'(MWAP) is not configured as a multi-tenant application. Usage of the /{tenant} endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant."
            : null;

    /// <summary>Personal accounts often have <c>mail: null</c>; clients fall back to <c>userPrincipalName</c>.</summary>
    private static FakeResult Me(HttpContext context, FakeProviderState provider)
    {
        if (GraphAuth.Reject(context, provider) is { } rejection)
        {
            return rejection;
        }

        var account = provider.Account;
        return FakeResult.Json(GraphAuth.Select(context.Request, new JsonObject
        {
            ["@odata.context"] = $"{GraphBase(context)}/$metadata#users/$entity",
            ["businessPhones"] = new JsonArray(),
            ["displayName"] = account.DisplayName,
            ["givenName"] = account.GivenName,
            ["jobTitle"] = null,
            ["mail"] = account.HidesMail ? null : account.Email,
            ["mobilePhone"] = null,
            ["officeLocation"] = null,
            ["preferredLanguage"] = "en-US",
            ["surname"] = account.Surname,
            ["userPrincipalName"] = account.Email,
            ["id"] = account.Id,
        }));
    }

    private static FakeResult Drive(HttpContext context, FakeProviderState provider)
    {
        if (GraphAuth.Reject(context, provider) is { } rejection)
        {
            return rejection;
        }

        const long Total = 5_368_709_120;
        var used = provider.Files.All().Sum(i => i.Size ?? 0);
        return FakeResult.Json(GraphAuth.Select(context.Request, new JsonObject
        {
            ["@odata.context"] = $"{GraphBase(context)}/$metadata#drives/$entity",
            ["driveType"] = "personal",
            ["id"] = DriveItemJson.DriveId(provider.Files),
            ["owner"] = new JsonObject
            {
                ["user"] = new JsonObject { ["displayName"] = provider.Account.DisplayName, ["id"] = provider.Account.Id },
            },
            ["quota"] = new JsonObject
            {
                ["deleted"] = 0,
                ["remaining"] = Total - used,
                ["state"] = "normal",
                ["total"] = Total,
                ["used"] = used,
            },
        }));
    }

    /// <summary>Graph has no per-app revoke: this kills every refresh token of the user, for every app.</summary>
    private static FakeResult RevokeSignInSessions(HttpContext context, FakeProviderState provider)
    {
        provider.CountRevoke();
        if (GraphAuth.Reject(context, provider) is { } rejection)
        {
            return rejection;
        }

        provider.RevokeAllTokens();
        return FakeResult.Json(new JsonObject
        {
            ["@odata.context"] = $"{GraphBase(context)}/$metadata#Edm.Boolean",
            ["value"] = true,
        });
    }

    private static string GraphBase(HttpContext context) =>
        $"{context.Request.Scheme}://{context.Request.Host}{ProviderPaths.Graph}/v1.0";
}
