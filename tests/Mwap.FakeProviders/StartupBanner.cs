using System.Text;

namespace Mwap.FakeProviders;

/// <summary>What a newcomer needs to point a local MWAP at the fakes and click through a connect flow.</summary>
public static class StartupBanner
{
    public static string For(FakeProviderServer server)
    {
        var text = new StringBuilder();
        text.AppendLine($"Fake providers listening on {server.BaseUrl} (Ctrl+C to stop). Any http(s) redirect_uri is accepted.");
        Section(text, "Google Drive", server.Google,
            ("authorize", server.GoogleAuthorizeUrl), ("token", server.GoogleTokenUrl), ("revoke", server.GoogleRevokeUrl),
            ("api base", server.GoogleApiBaseUrl + "  (e.g. /drive/v3/files)"));
        Section(text, "Dropbox", server.Dropbox,
            ("authorize", server.DropboxAuthorizeUrl), ("token", server.DropboxTokenUrl),
            ("api base", server.DropboxApiBaseUrl + "  (e.g. /2/files/list_folder)"), ("content base", server.DropboxContentBaseUrl));
        Section(text, "Microsoft (OneDrive)", server.Microsoft,
            ("authorize", server.MicrosoftAuthorizeUrl), ("token", server.MicrosoftTokenUrl),
            ("graph base", server.GraphApiBaseUrl + "  (e.g. /v1.0/me/drive/root/children)"));
        text.AppendLine().AppendLine("Sign-in issuer (OIDC, shaped like Auth0; the login page asks who you are)");
        text.AppendLine($"  {"authority",-13} {server.Issuer.Authority}");
        text.AppendLine($"  {"client id",-13} {server.Issuer.ClientId}  (public client: code + PKCE S256, no secret)");
        text.AppendLine($"  {"server",-13} Auth__Authority={server.Issuer.Authority} Auth__Audience=https://api.mwap.local "
            + $"Auth__RequireHttpsMetadata=false Console__ClientId={server.Issuer.ClientId}");
        text.AppendLine($"  {"callbacks",-13} http://localhost:3001/app/authentication/login-callback (standalone; tests register their own)");
        return text.ToString();
    }

    private static void Section(StringBuilder text, string title, FakeProviderState provider, params (string Name, string Url)[] urls)
    {
        text.AppendLine().AppendLine(title);
        foreach (var (name, url) in urls)
        {
            text.AppendLine($"  {name,-13} {url}");
        }

        text.AppendLine($"  {"client id",-13} {provider.ClientId}");
        text.AppendLine($"  {"client secret",-13} {provider.ClientSecret}");
        text.AppendLine($"  {"signed in as",-13} {provider.Account.DisplayName} <{provider.Account.Email}>");
    }
}
