using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.Infrastructure.Security;
using Mwap.FakeProviders;

namespace Mwap.Api.IntegrationTests.Infrastructure;

/// <summary>
/// The server plus the fake Google, Dropbox and Microsoft endpoints (real HTTP on 127.0.0.1). The three standard
/// providers are registered with the fake's URLs, exactly as an operator would point them at a sovereign cloud.
/// </summary>
public class ConnectFlowApiFactory : MwapApiFactory
{
    public const string RedirectUri = "http://localhost/api/v1/oauth/callback";
    public const string FrontendOrigin = "https://app.example.com";

    public FakeProviderServer Fake { get; private set; } = null!;

    /// <summary>Set for a second instance: share the first one's fake (and, via <see cref="MwapApiFactory.SharedDatabase"/>, its database).</summary>
    protected FakeProviderServer? SharedFake { get; init; }
    public Dictionary<FakeProvider, string> ProviderIds { get; } = [];

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["CloudProviders:AllowInsecureUrls"] = "true",
        ["OAuth:RedirectUri"] = RedirectUri,
        ["OAuth:FrontendOrigin"] = FrontendOrigin,
        ["Providers:RetryBaseDelayMilliseconds"] = "20",
    };

    public override async ValueTask InitializeAsync()
    {
        Fake = SharedFake ?? await FakeProviderServer.StartAsync();
        await base.InitializeAsync();
        if (SharedFake is not null)
        {
            return; // the first instance registered the providers
        }

        var admin = await CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        ProviderIds[FakeProvider.Google] = await RegisterAsync(admin, "google-drive", "Google Drive", Fake.GoogleAuthorizeUrl, Fake.GoogleTokenUrl, Fake.Google,
            ["https://www.googleapis.com/auth/drive.readonly", "openid", "email"], new { apiBaseUrl = Fake.GoogleApiBaseUrl });
        ProviderIds[FakeProvider.Dropbox] = await RegisterAsync(admin, "dropbox", "Dropbox", Fake.DropboxAuthorizeUrl, Fake.DropboxTokenUrl, Fake.Dropbox,
            ["files.metadata.read", "files.content.read", "account_info.read"], new { apiBaseUrl = Fake.DropboxApiBaseUrl, contentBaseUrl = Fake.DropboxContentBaseUrl });
        ProviderIds[FakeProvider.Microsoft] = await RegisterAsync(admin, "onedrive", "OneDrive", Fake.MicrosoftAuthorizeUrl, Fake.MicrosoftTokenUrl, Fake.Microsoft,
            ["Files.Read", "User.Read", "offline_access"], new { apiBaseUrl = Fake.GraphApiBaseUrl });
    }

    private static async Task<string> RegisterAsync(HttpClient admin, string slug, string name, string authUrl, string tokenUrl, FakeProviderState state,
        string[] scopes, object metadata) =>
        (await admin.PostJsonAsync("/api/v1/cloud-providers", new
        {
            name,
            slug,
            scopes,
            authUrl,
            tokenUrl,
            clientId = state.ClientId,
            clientSecret = state.ClientSecret,
            metadata,
        }).ReadDataAsync(HttpStatusCode.Created)).GetProperty("_id").GetString()!;

    internal ISecretProtector Secrets => Services.GetRequiredService<ISecretProtector>();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (SharedFake is null)
        {
            await Fake.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>A tenant owner connecting one provider through the real flow.</summary>
public sealed record Connection(HttpClient Owner, string OwnerId, string TenantId, string IntegrationId, FakeProvider Provider)
{
    public string IntegrationUrl => $"/api/v1/tenants/{TenantId}/integrations/{IntegrationId}";

    public static async Task<Connection> CreateAsync(ConnectFlowApiFactory factory, FakeProvider provider)
    {
        var ownerId = TestUsers.NewSubject("owner");
        var owner = factory.CreateClientFor(ownerId);
        var tenantId = await owner.CreateTenantAsync();
        var integrationId = await owner.CreateIntegrationAsync(tenantId, factory.ProviderIds[provider]);
        return new Connection(owner, ownerId, tenantId, integrationId, provider);
    }

    /// <summary>
    /// The browser-binding cookie <c>initiate</c> set (<c>name=value</c>). It is <c>Secure</c>, so .NET's cookie container
    /// will not send it to http://localhost: the test carries it to the callback explicitly, as a browser would.
    /// </summary>
    public string? BrowserCookie { get; private set; }

    public async Task<JsonElement> InitiateAsync()
    {
        var response = await Owner.PostAsync($"/api/v1/oauth/tenants/{TenantId}/integrations/{IntegrationId}/initiate", null);
        BrowserCookie = BindingCookieOf(response);
        return await response.ReadDataAsync();
    }

    /// <summary>The <c>name=value</c> of the binding cookie a response sets, or null.</summary>
    public static string? BindingCookieOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Where(c => c.StartsWith("__Secure-mwap-oauth-", StringComparison.Ordinal)).Select(c => c.Split(';')[0]).FirstOrDefault()
            : null;

    /// <summary>The browser's trip to the provider: GET the authorization URL at the fake and read where it redirects.</summary>
    public static async Task<Uri> AuthorizeAtProviderAsync(string authorizationUrl)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var response = await browser.GetAsync(authorizationUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>Delivers the provider's redirect to our callback and returns where the callback sends the browser.</summary>
    public static async Task<string> CallbackAsync(ConnectFlowApiFactory factory, Uri providerRedirect, string? cookie = null) =>
        (await CallbackResponseAsync(factory, providerRedirect, cookie)).Headers.Location!.OriginalString;

    /// <summary>The callback's whole response (for its Set-Cookie), sent with <paramref name="cookie"/> when given.</summary>
    public static async Task<HttpResponseMessage> CallbackResponseAsync(ConnectFlowApiFactory factory, Uri providerRedirect, string? cookie)
    {
        var browser = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, providerRedirect.PathAndQuery);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        var response = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response;
    }

    /// <summary>The whole connect flow; returns the callback's redirect target.</summary>
    public async Task<string> ConnectAsync(ConnectFlowApiFactory factory)
    {
        var initiated = await InitiateAsync();
        var redirect = await AuthorizeAtProviderAsync(initiated.GetProperty("authorizationUrl").GetString()!);
        return await CallbackAsync(factory, redirect, BrowserCookie);
    }
}
