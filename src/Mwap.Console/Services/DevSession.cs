using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;

namespace Mwap.WebConsole.Services;

/// <summary>
/// Development sign-in: a token minted by the server's Development-only endpoint, kept in this tab's session storage.
/// Exists only when the server says the endpoint does (<see cref="ConsoleConfig.DevSignIn"/>).
/// </summary>
public sealed class DevSession(IJSRuntime js, HttpClient http) : AuthenticationStateProvider, ITokenSource
{
    private const string StorageKey = "mwap-dev-session";
    private Stored? _session;
    private bool _loaded;

    private sealed record Stored(string Token, DateTimeOffset ExpiresAt, string Sub, string? Email, string? Name);

    public async ValueTask<string?> GetTokenAsync()
    {
        var s = await LoadAsync();
        return s is not null && s.ExpiresAt > DateTimeOffset.UtcNow ? s.Token : null;
    }

    public override async Task<AuthenticationState> GetAuthenticationStateAsync()
    {
        var s = await LoadAsync();
        if (s is null || s.ExpiresAt <= DateTimeOffset.UtcNow)
        {
            return new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()));
        }

        var claims = new List<Claim> { new("sub", s.Sub), new("name", s.Name ?? s.Sub) };
        if (s.Email is not null)
        {
            claims.Add(new Claim("email", s.Email));
        }

        return new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(claims, "dev", "name", "role")));
    }

    /// <summary>Asks the server for a token; an API error (400 for a missing subject) reaches the caller as it is.</summary>
    public async Task SignInAsync(string sub, string? email, string? name)
    {
        var api = new ApiClient(http, new NoToken());
        var result = await api.PostAsync<DevSignInResult>("console/dev-sign-in", new { sub, email, name });
        _session = new Stored(result.Token, result.ExpiresAt, sub.Trim(), Blank(email), Blank(name));
        _loaded = true;
        await js.InvokeVoidAsync("sessionStorage.setItem", StorageKey, JsonSerializer.Serialize(_session));
        NotifyAuthenticationStateChanged(GetAuthenticationStateAsync());
    }

    public async Task SignOutAsync()
    {
        _session = null;
        await js.InvokeVoidAsync("sessionStorage.removeItem", StorageKey);
        NotifyAuthenticationStateChanged(GetAuthenticationStateAsync());
    }

    private async ValueTask<Stored?> LoadAsync()
    {
        if (!_loaded)
        {
            _loaded = true;
            // Synchronous in the browser: the authentication state is then known at the first render, which shows the
            // page at once instead of a progress bar and a second render.
            var json = js is IJSInProcessRuntime local
                ? local.Invoke<string?>("sessionStorage.getItem", StorageKey)
                : await js.InvokeAsync<string?>("sessionStorage.getItem", StorageKey);
            _session = string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<Stored>(json);
        }

        return _session;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private sealed class NoToken : ITokenSource
    {
        public ValueTask<string?> GetTokenAsync() => ValueTask.FromResult<string?>(null);
    }
}

/// <summary>Production: the access token of the OIDC session (code + PKCE), refreshed by the authentication library.</summary>
public sealed class OidcTokenSource(Microsoft.AspNetCore.Components.WebAssembly.Authentication.IAccessTokenProvider provider) : ITokenSource
{
    public async ValueTask<string?> GetTokenAsync()
    {
        var result = await provider.RequestAccessToken();
        return result.TryGetToken(out var token) ? token.Value : null;
    }
}
