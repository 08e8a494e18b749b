using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Mwap.FakeProviders.Dropbox;
using Mwap.FakeProviders.Google;
using Mwap.FakeProviders.Hosting;
using Mwap.FakeProviders.Identity;
using Mwap.FakeProviders.Microsoft;

namespace Mwap.FakeProviders;

/// <summary>
/// One Kestrel app serving fake Google Drive, Dropbox and Microsoft Graph under path prefixes. A production client
/// only swaps its base URLs for the properties below: every path after a base is the real API's path.
/// </summary>
public sealed class FakeProviderServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeProviderServer(WebApplication app, TimeProvider time)
    {
        _app = app;
        Google = new FakeProviderState(FakeProvider.Google, new GoogleOAuthProfile(), DefaultAccounts.Google,
            "fake-google-client.apps.googleusercontent.com", "fake-google-client-secret", time);
        Dropbox = new FakeProviderState(FakeProvider.Dropbox, new DropboxOAuthProfile(), DefaultAccounts.Dropbox,
            "fakedropboxappkey", "fakedropboxappsecret", time);
        Microsoft = new FakeProviderState(FakeProvider.Microsoft, new MicrosoftOAuthProfile(), DefaultAccounts.Microsoft,
            "00000000-0000-0000-0000-00000000fa4e", "fake~microsoft~client~secret", time);
        Issuer = new FakeIssuer(() => BaseUrl, time);
    }

    /// <summary>An OIDC issuer shaped like Auth0, for the platform's own sign-in (the console's code + PKCE flow).</summary>
    public FakeIssuer Issuer { get; }

    public FakeProviderState Google { get; }
    public FakeProviderState Dropbox { get; }
    public FakeProviderState Microsoft { get; }

    /// <summary>e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    public string GoogleAuthorizeUrl => BaseUrl + "/google/o/oauth2/v2/auth";
    public string GoogleTokenUrl => BaseUrl + "/google/token";
    public string GoogleRevokeUrl => BaseUrl + "/google/revoke";

    /// <summary>Stands for https://www.googleapis.com: append /drive/v3/files, /drive/v3/about, /oauth2/v3/userinfo.</summary>
    public string GoogleApiBaseUrl => BaseUrl + "/google";

    public string GoogleUserInfoUrl => BaseUrl + "/google/oauth2/v3/userinfo";
    public string GoogleTokenInfoUrl => BaseUrl + "/google/tokeninfo";

    public string DropboxAuthorizeUrl => BaseUrl + "/dropbox/oauth2/authorize";
    public string DropboxTokenUrl => BaseUrl + "/dropbox/oauth2/token";

    /// <summary>Stands for https://api.dropboxapi.com: append /2/files/list_folder, /oauth2/token, ….</summary>
    public string DropboxApiBaseUrl => BaseUrl + "/dropbox/api";

    /// <summary>Stands for https://content.dropboxapi.com: append /2/files/download.</summary>
    public string DropboxContentBaseUrl => BaseUrl + "/dropbox/content";

    /// <summary>Stands for https://notify.dropboxapi.com: append /2/files/list_folder/longpoll (no auth).</summary>
    public string DropboxNotifyBaseUrl => BaseUrl + "/dropbox/notify";

    /// <summary>Stands for https://login.microsoftonline.com: append /{tenant}/oauth2/v2.0/authorize.</summary>
    public string MicrosoftLoginBaseUrl => BaseUrl + "/microsoft";

    public string MicrosoftAuthorizeUrl => BaseUrl + "/microsoft/common/oauth2/v2.0/authorize";
    public string MicrosoftTokenUrl => BaseUrl + "/microsoft/common/oauth2/v2.0/token";

    /// <summary>Stands for https://graph.microsoft.com: append /v1.0/me, /v1.0/me/drive/root/children, ….</summary>
    public string GraphApiBaseUrl => BaseUrl + "/microsoft/graph";

    public FakeProviderState this[FakeProvider provider] => provider switch
    {
        FakeProvider.Google => Google,
        FakeProvider.Dropbox => Dropbox,
        _ => Microsoft,
    };

    public static async Task<FakeProviderServer> StartAsync(FakeProviderOptions? options = null)
    {
        options ??= new FakeProviderOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeProviderServer(app, options.TimeProvider);
        if (options.SeedSampleFiles)
        {
            foreach (var provider in Enum.GetValues<FakeProvider>())
            {
                SampleFiles.Seed(server[provider].Files, provider);
            }
        }

        app.UseProviderPipeline(p => server[p], options.LogRequests);
        app.MapGoogle(server.Google);
        app.MapDropbox(server.Dropbox);
        app.MapMicrosoft(server.Microsoft);
        app.MapIssuer(server.Issuer);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/');
        return server;
    }

    /// <summary>Completes when the host stops (Ctrl+C or SIGTERM in the standalone program).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in Enum.GetValues<FakeProvider>())
        {
            await this[provider].DropboxWebhook.DisposeAsync();
            await this[provider].GraphSubscriptions.DisposeAsync();
            await this[provider].DriveChannels.DisposeAsync();
        }

        await _app.DisposeAsync();
    }
}
