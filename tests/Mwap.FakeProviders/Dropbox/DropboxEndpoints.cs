using System.Text.Json.Nodes;
using Mwap.FakeProviders.Hosting;
using Mwap.FakeProviders.OAuth;

namespace Mwap.FakeProviders.Dropbox;

/// <summary>
/// Dropbox under <c>/dropbox</c>: www.dropbox.com at the root (<c>/oauth2/authorize</c>), api.dropboxapi.com at
/// <c>/dropbox/api</c>, content.dropboxapi.com at <c>/dropbox/content</c>, notify.dropboxapi.com at <c>/dropbox/notify</c>.
/// </summary>
internal static class DropboxEndpoints
{
    public static void MapDropbox(this WebApplication app, FakeProviderState provider)
    {
        app.MapGet(ProviderPaths.Dropbox + "/oauth2/authorize", (HttpContext context) => AuthorizeEndpoint.Handle(context, provider));
        // The real token endpoint lives on the API host; serve both so either base URL works.
        app.MapPost(ProviderPaths.Dropbox + "/oauth2/token", Task<IResult> (HttpContext context) => TokenEndpoint.HandleAsync(context, provider));
        app.MapPost(ProviderPaths.DropboxApi + "/oauth2/token", Task<IResult> (HttpContext context) => TokenEndpoint.HandleAsync(context, provider));

        var api = app.MapGroup(ProviderPaths.DropboxApi);
        api.MapPost("/2/auth/token/revoke", Task<IResult> (HttpContext context) => RevokeAsync(context, provider));
        api.MapPost("/2/users/get_current_account", Task<IResult> (HttpContext context) => CurrentAccountAsync(context, provider));
        api.MapPost("/2/check/user", Task<IResult> (HttpContext context) => CheckUserAsync(context, provider));
        api.MapDropboxFiles(provider);
        app.MapDropboxContent(provider);
        app.MapDropboxLongpoll(provider);
    }

    /// <summary>Disables this access token, its refresh token and every access token minted from that refresh token.</summary>
    private static async Task<IResult> RevokeAsync(HttpContext context, FakeProviderState provider)
    {
        const string Route = "auth/token/revoke";
        provider.CountRevoke();
        if (DropboxRpc.RejectAuth(context, provider, Route) is { } rejection)
        {
            return rejection;
        }

        if (await DropboxRpc.RejectNonNullBodyAsync(context, Route) is { } badBody)
        {
            return badBody;
        }

        provider.Tokens.RevokeGrantOf(Bearer.From(context.Request)!, allowExpired: false);
        return FakeResult.Json(null);
    }

    private static async Task<IResult> CurrentAccountAsync(HttpContext context, FakeProviderState provider)
    {
        const string Route = "users/get_current_account";
        if (DropboxRpc.RejectAuth(context, provider, Route) is { } rejection)
        {
            return rejection;
        }

        if (await DropboxRpc.RejectNonNullBodyAsync(context, Route) is { } badBody)
        {
            return badBody;
        }

        var account = provider.Account;
        var initials = string.Concat(account.GivenName.Take(1).Concat(account.Surname.Take(1)));
        return FakeResult.Json(new JsonObject
        {
            ["account_id"] = account.Id,
            ["name"] = new JsonObject
            {
                ["given_name"] = account.GivenName,
                ["surname"] = account.Surname,
                ["familiar_name"] = account.GivenName,
                ["display_name"] = account.DisplayName,
                ["abbreviated_name"] = initials,
            },
            ["email"] = account.Email,
            ["email_verified"] = true,
            ["disabled"] = false,
            ["country"] = "US",
            ["locale"] = "en",
            ["referral_link"] = "https://www.dropbox.com/referrals/fake",
            ["is_paired"] = false,
            ["account_type"] = new JsonObject { [".tag"] = "basic" },
            ["root_info"] = DropboxView.RootInfo(provider.DropboxTeamSpace),
        });
    }

    /// <summary>The cheap health check: echoes <c>query</c> back as <c>result</c> when the token is good.</summary>
    private static async Task<IResult> CheckUserAsync(HttpContext context, FakeProviderState provider)
    {
        const string Route = "check/user";
        if (DropboxRpc.RejectAuth(context, provider, Route) is { } rejection)
        {
            return rejection;
        }

        var (args, error) = await DropboxRpc.ReadArgsAsync(context, Route);
        return error ?? FakeResult.Json(new JsonObject { ["result"] = DropboxRpc.String(args, "query") ?? "" });
    }
}
