using System.Globalization;
using System.Text.Json.Nodes;
using Mwap.FakeProviders.Hosting;
using Mwap.FakeProviders.OAuth;
using Mwap.FakeProviders.Tokens;

namespace Mwap.FakeProviders.Google;

/// <summary>
/// Google under <c>/google</c>: accounts.google.com, oauth2.googleapis.com and www.googleapis.com share the prefix,
/// so each real path (<c>/o/oauth2/v2/auth</c>, <c>/token</c>, <c>/drive/v3/files</c>) appears unchanged below it.
/// </summary>
internal static class GoogleEndpoints
{
    public static void MapGoogle(this WebApplication app, FakeProviderState provider)
    {
        var google = app.MapGroup(ProviderPaths.Google);
        google.MapGet("/o/oauth2/v2/auth", (HttpContext context) => AuthorizeEndpoint.Handle(context, provider));
        google.MapPost("/token", Task<IResult> (HttpContext context) => TokenEndpoint.HandleAsync(context, provider));
        google.MapPost("/revoke", Task<IResult> (HttpContext context) => RevokeAsync(context, provider));
        google.MapGet("/tokeninfo", (HttpContext context) => TokenInfo(context, provider));
        google.MapGet("/oauth2/v3/userinfo", (HttpContext context) => UserInfo(context, provider));
        google.MapGet("/v1/userinfo", (HttpContext context) => UserInfo(context, provider));
        google.MapGet("/drive/v3/about", (HttpContext context) => About(context, provider));
        google.MapDriveFiles(provider);
        google.MapDriveExport(provider);
        google.MapDriveChanges(provider);
        google.MapDriveWatch(provider);
    }

    /// <summary>Revoking either token of a grant kills the whole grant; a dead or unknown token is a 400.</summary>
    private static async Task<IResult> RevokeAsync(HttpContext context, FakeProviderState provider)
    {
        provider.CountRevoke();
        var token = context.Request.Query["token"].ToString();
        if (token.Length == 0 && context.Request.HasFormContentType)
        {
            token = (await context.Request.ReadFormAsync(context.RequestAborted))["token"].ToString();
        }

        return provider.Tokens.RevokeGrantOf(token, allowExpired: false)
            ? FakeResult.Json(new JsonObject())
            : FakeResult.Json(new JsonObject { ["error"] = "invalid_token", ["error_description"] = "Token expired or revoked" }, 400);
    }

    private static FakeResult TokenInfo(HttpContext context, FakeProviderState provider)
    {
        var value = context.Request.Query["access_token"].ToString();
        if (provider.Tokens.Check(value, FakeTokenKind.AccessToken, out var token) != TokenCheck.Valid)
        {
            return FakeResult.Json(new JsonObject { ["error"] = "invalid_token", ["error_description"] = "Invalid Value" }, 400);
        }

        var expiresAt = token!.ExpiresAt ?? provider.Tokens.Now;
        return FakeResult.Json(new JsonObject
        {
            ["azp"] = token.Grant.ClientId,
            ["aud"] = token.Grant.ClientId,
            ["sub"] = provider.Account.Id,
            ["scope"] = string.Join(' ', token.Grant.Scopes),
            ["exp"] = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["expires_in"] = ((long)(expiresAt - provider.Tokens.Now).TotalSeconds).ToString(CultureInfo.InvariantCulture),
            ["email"] = provider.Account.Email,
            ["email_verified"] = "true",
            ["access_type"] = "offline",
        });
    }

    private static FakeResult UserInfo(HttpContext context, FakeProviderState provider)
    {
        if (GoogleAuth.Reject(context, provider, needsDriveScope: false) is { } rejection)
        {
            return rejection;
        }

        var account = provider.Account;
        return FakeResult.Json(new JsonObject
        {
            ["sub"] = account.Id,
            ["name"] = account.DisplayName,
            ["given_name"] = account.GivenName,
            ["family_name"] = account.Surname,
            ["picture"] = "https://lh3.googleusercontent.com/a/fake-photo",
            ["email"] = account.Email,
            ["email_verified"] = true,
        });
    }

    /// <summary>about.get insists on <c>fields</c>; without it Drive answers 400 rather than a default selection.</summary>
    private static FakeResult About(HttpContext context, FakeProviderState provider)
    {
        if (GoogleAuth.Reject(context, provider, needsDriveScope: true) is { } rejection)
        {
            return rejection;
        }

        if (!context.Request.Query.TryGetValue("fields", out var fieldsValue))
        {
            return GoogleErrors.Result(400, "required", "The 'fields' parameter is required for this method.", location: "fields");
        }

        if (DriveFields.TryParse(fieldsValue.ToString()) is not { } fields)
        {
            return GoogleErrors.InvalidValue("fields");
        }

        var account = provider.Account;
        var usage = provider.Files.All().Sum(i => i.Size ?? 0).ToString(CultureInfo.InvariantCulture);
        return FakeResult.Json(fields.Apply(new JsonObject
        {
            ["kind"] = "drive#about",
            ["user"] = new JsonObject
            {
                ["kind"] = "drive#user",
                ["displayName"] = account.DisplayName,
                ["photoLink"] = "https://lh3.googleusercontent.com/a/fake-photo=s64",
                ["me"] = true,
                ["permissionId"] = account.Id,
                ["emailAddress"] = account.Email,
            },
            ["storageQuota"] = new JsonObject
            {
                ["limit"] = "16106127360",
                ["usage"] = usage,
                ["usageInDrive"] = usage,
                ["usageInDriveTrash"] = "0",
            },
        }));
    }
}
