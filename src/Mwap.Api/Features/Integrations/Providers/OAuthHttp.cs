using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Mwap.Api.Features.Integrations.Providers;

/// <summary>The OAuth token endpoint calls and JSON API calls every provider client shares.</summary>
internal static class OAuthHttp
{
    public const string ClientName = "cloud-providers";

    /// <summary>
    /// The authorization-code exchange: an attempt timeout and no retry. A code is single-use (RFC 6749 §4.1.2): once
    /// the provider has seen it, a retry after a lost answer (5xx, timeout) can only be refused as already redeemed.
    /// </summary>
    public const string ExchangeClientName = "cloud-providers-exchange";

    /// <summary>
    /// Set on a request the pipeline must not repeat after a timeout because the provider may still be running it
    /// (Dropbox's recursive <c>list_folder</c>): the caller decides what to do instead.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> NoRetryOnTimeout = new("mwap.no-retry-on-timeout");

    /// <summary>True for a request that timed out on our side (as opposed to one the provider refused).</summary>
    public static bool IsTimeout(ProviderException e) =>
        e.Kind == ProviderErrorKind.Unavailable && e.InnerException is Polly.Timeout.TimeoutRejectedException or TaskCanceledException;

    public static async Task<TokenSet> PostTokenAsync(HttpClient http, string tokenUrl, IEnumerable<KeyValuePair<string, string>> form,
        TokenSet? previous, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await SendAsync(http, request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw TokenError(response.StatusCode, body);
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var access = root.TryGetProperty("access_token", out var a) ? a.GetString() : null;
            if (string.IsNullOrEmpty(access))
            {
                throw new ProviderException(ProviderErrorKind.BadResponse, (int)response.StatusCode, "Invalid token response from provider");
            }

            // Providers that do not rotate refresh tokens omit them on refresh: keep the one we have.
            var refresh = root.TryGetProperty("refresh_token", out var r) && r.GetString() is { Length: > 0 } rt ? rt : previous?.RefreshToken;
            var expires = root.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt32()
                : root.TryGetProperty("expires_in", out var es) && int.TryParse(es.GetString(), out var parsed) ? parsed : 3600;
            var scopes = root.TryGetProperty("scope", out var s) && s.GetString() is { Length: > 0 } scope
                ? scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                : previous?.Scopes.ToArray() ?? [];
            return new TokenSet(access, refresh, expires, scopes);
        }
        catch (JsonException e)
        {
            throw new ProviderException(ProviderErrorKind.BadResponse, (int)response.StatusCode, "Invalid token response from provider", e);
        }
    }

    public static async Task<JsonDocument> SendJsonAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(http, request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw ApiError(response.StatusCode, body);
        }

        try
        {
            return JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
        }
        catch (JsonException e)
        {
            throw new ProviderException(ProviderErrorKind.BadResponse, (int)response.StatusCode, "Provider returned malformed JSON", e);
        }
    }

    public static HttpRequestMessage Bearer(HttpMethod method, string url, string accessToken, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ProviderException(ProviderErrorKind.Unavailable, null, "Provider unreachable", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(ProviderErrorKind.Unavailable, null, "Provider request timed out", e);
        }
        catch (Polly.Timeout.TimeoutRejectedException e)
        {
            throw new ProviderException(ProviderErrorKind.Unavailable, null, "Provider request timed out", e);
        }
    }

    /// <summary>
    /// OAuth token endpoint errors: <c>invalid_grant</c> means the grant is gone for good. Microsoft also answers
    /// <c>interaction_required</c> (MFA or Conditional Access, e.g. AADSTS50076) and <c>consent_required</c> (also as
    /// <c>invalid_grant</c> with <c>suberror: consent_required</c>, AADSTS65001): only the user can fix those, by
    /// signing in again, so they end the grant like <c>invalid_grant</c>
    /// (https://learn.microsoft.com/entra/identity-platform/reference-error-codes). The message names the error and its
    /// AADSTS code (never the description, which carries trace ids) so the integration's last error says why.
    /// </summary>
    public static ProviderException TokenError(HttpStatusCode status, string body)
    {
        var error = ReadString(body, "error") ?? "";
        return error switch
        {
            "invalid_grant" or "interaction_required" or "consent_required" or "login_required" =>
                new ProviderException(ProviderErrorKind.InvalidGrant, (int)status, "The user must reconnect: " + Reason(body, error)),
            "invalid_client" or "unauthorized_client" => new ProviderException(ProviderErrorKind.InvalidClient, (int)status, "Client authentication failed"),
            _ when (int)status == 429 => new ProviderException(ProviderErrorKind.RateLimited, 429, "Provider rate limit exceeded"),
            _ when (int)status >= 500 => new ProviderException(ProviderErrorKind.Unavailable, (int)status, $"Token endpoint failed with status {(int)status}"),
            _ => new ProviderException(ProviderErrorKind.BadResponse, (int)status, $"Token request failed ({(error.Length > 0 ? error : ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture))})"),
        };
    }

    /// <summary><c>invalid_grant/consent_required (AADSTS65001)</c>: the error, Microsoft's suberror and first error code.</summary>
    private static string Reason(string body, string error)
    {
        var reason = error;
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.TryGetProperty("suberror", out var sub) && sub.ValueKind == JsonValueKind.String && sub.GetString() is { Length: > 0 and <= 40 } suberror
                && suberror.All(c => char.IsAsciiLetterLower(c) || c == '_'))
            {
                reason += "/" + suberror;
            }

            if (root.TryGetProperty("error_codes", out var codes) && codes.ValueKind == JsonValueKind.Array && codes.GetArrayLength() > 0
                && codes[0].ValueKind == JsonValueKind.Number && codes[0].TryGetInt32(out var code))
            {
                reason += $" (AADSTS{code.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
            }
        }
        catch (JsonException)
        {
            // The error string alone says enough.
        }

        return reason;
    }

    public static ProviderException ApiError(HttpStatusCode status, string body) => (int)status switch
    {
        401 => new ProviderException(ProviderErrorKind.Unauthorized, 401, "Access token rejected by provider"),
        403 when body.Contains("ateLimitExceeded", StringComparison.Ordinal) => new ProviderException(ProviderErrorKind.RateLimited, 403, "Provider rate limit exceeded"),
        403 => new ProviderException(ProviderErrorKind.Forbidden, 403, "Provider refused access"),
        // Dropbox answers a Dropbox-API-Path-Root it no longer accepts with 422 and the PathRootError union
        // (invalid_root carries the fresh root info; no_permission): the team's root namespace changed.
        422 when DropboxErrorTag(body) is "invalid_root" or "no_permission" => new ProviderException(ProviderErrorKind.PathRootChanged, 422, "The Dropbox root namespace changed"),
        409 when DropboxErrorTag(body) == "reset" => new ProviderException(ProviderErrorKind.CursorReset, 409, "The change cursor was reset by the provider"),
        410 => new ProviderException(ProviderErrorKind.CursorReset, 410, "The change cursor expired at the provider"),
        404 or 409 => new ProviderException(ProviderErrorKind.NotFound, (int)status, "Not found at provider"),
        429 => new ProviderException(ProviderErrorKind.RateLimited, 429, "Provider rate limit exceeded"),
        >= 500 => new ProviderException(ProviderErrorKind.Unavailable, (int)status, $"Provider failed with status {(int)status}"),
        _ => new ProviderException(ProviderErrorKind.BadResponse, (int)status, $"Provider answered {(int)status}"),
    };

    /// <summary>A Dropbox error union's <c>error[".tag"]</c>, e.g. 409 <c>reset</c> (branch on the tag, never the summary).</summary>
    private static string? DropboxErrorTag(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object && error.TryGetProperty(".tag", out var tag) && tag.ValueKind == JsonValueKind.String
                ? tag.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? ReadString(string body, string property)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string Query(string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var query = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        return url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
    }
}
