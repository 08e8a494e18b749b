using System.Net.Http.Json;
using System.Runtime.InteropServices.JavaScript;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using MudBlazor.Services;
using Mwap.WebConsole;
using Mwap.WebConsole.Services;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");

// The API is the origin that served the app (/app/ is only where the app lives).
var origin = new Uri(new Uri(builder.HostEnvironment.BaseAddress), "/");
// Read at start so one build runs against any issuer: authority, client id, scopes, audience, dev sign-in. The server
// writes it into index.html (no round trip before the app can start); asked for only when the page came without it.
var config = InlinedConfig() ?? await FetchConfigAsync(origin);
builder.Services.AddSingleton(config);
ConfigureSignIn(builder, config);

builder.Services.AddScoped(_ => new HttpClient { BaseAddress = origin });
builder.Services.AddScoped<ApiClient>();
builder.Services.AddScoped<RolesState>();
builder.Services.AddScoped<ThemeState>();
builder.Services.AddMudServices();
// Pages read "today" and poll through it, so component tests drive time instead of waiting.
builder.Services.AddSingleton(TimeProvider.System);
await builder.Build().RunAsync();

static ConsoleConfig? InlinedConfig()
{
    if (!OperatingSystem.IsBrowser())
    {
        return null;
    }

    using var console = JSHost.GlobalThis.GetPropertyAsJSObject("mwapConsole");
    var json = console?.GetPropertyAsString("config");
    return string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<ConsoleConfig>(json, ApiClient.Json);
}

static async Task<ConsoleConfig> FetchConfigAsync(Uri origin)
{
    using var boot = new HttpClient { BaseAddress = origin };
    var envelope = await boot.GetFromJsonAsync<Envelope>("api/v1/console/config", ApiClient.Json);
    return envelope!.Data;
}

static void ConfigureSignIn(WebAssemblyHostBuilder builder, ConsoleConfig config)
{
    if (config.DevSignIn)
    {
        builder.Services.AddAuthorizationCore();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<DevSession>();
        builder.Services.AddScoped<AuthenticationStateProvider>(sp => sp.GetRequiredService<DevSession>());
        builder.Services.AddScoped<ITokenSource>(sp => sp.GetRequiredService<DevSession>());
        return;
    }

    builder.Services.AddCascadingAuthenticationState();
    builder.Services.AddOidcAuthentication(o =>
    {
        o.ProviderOptions.Authority = config.Authority;
        o.ProviderOptions.ClientId = config.ClientId;
        o.ProviderOptions.ResponseType = "code";
        o.ProviderOptions.DefaultScopes.Clear();
        foreach (var scope in config.Scopes)
        {
            o.ProviderOptions.DefaultScopes.Add(scope);
        }

        // Auth0 issues an access token for the API only when asked for its audience.
        o.ProviderOptions.AdditionalProviderParameters["audience"] = config.Audience;
    });
    builder.Services.AddScoped<ITokenSource, OidcTokenSource>();
}

internal sealed record Envelope(ConsoleConfig Data);
