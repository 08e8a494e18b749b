using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Mwap.WebConsole.Services;

/// <summary>Where the bearer token comes from: the OIDC session in production, the development sign-in otherwise.</summary>
public interface ITokenSource
{
    ValueTask<string?> GetTokenAsync();
}

/// <summary>
/// The console's only way to the server: <c>/api/v1</c> with the caller's bearer token, like any other client. Success
/// answers are unwrapped from MWAP's envelope; error answers become an <see cref="ApiException"/> carrying the envelope's code,
/// message and details, so pages show what the API said instead of swallowing it.
/// </summary>
public sealed class ApiClient(HttpClient http, ITokenSource tokens)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<T> GetAsync<T>(string path, CancellationToken ct = default)
    {
        using var document = await SendRawAsync(HttpMethod.Get, path, null, ct);
        return Data<T>(document);
    }

    /// <summary>A cursor-paged list: <c>data</c> with <c>nextCursor</c> and <c>hasMore</c> beside it.</summary>
    public async Task<Page<T>> GetPageAsync<T>(string path, CancellationToken ct = default)
    {
        using var document = await SendRawAsync(HttpMethod.Get, path, null, ct);
        return document.RootElement.Deserialize<Page<T>>(Json) ?? new Page<T>([], null, false);
    }

    public async Task<T> PostAsync<T>(string path, object? body, CancellationToken ct = default)
    {
        using var document = await SendRawAsync(HttpMethod.Post, path, body, ct);
        return Data<T>(document);
    }

    public async Task<T> PatchAsync<T>(string path, object body, CancellationToken ct = default)
    {
        using var document = await SendRawAsync(HttpMethod.Patch, path, body, ct);
        return Data<T>(document);
    }

    public async Task SendAsync(HttpMethod method, string path, object? body = null, CancellationToken ct = default)
    {
        using var _ = await SendRawAsync(method, path, body, ct);
    }

    private static T Data<T>(JsonDocument document)
    {
        var root = document.RootElement;
        var data = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var d) ? d : root;
        return data.Deserialize<T>(Json)!;
    }

    private async Task<JsonDocument> SendRawAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, "api/v1/" + path.TrimStart('/'));
        if (await tokens.GetTokenAsync() is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new ApiException("The server could not be reached. Check your connection and try again.", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw ToError((int)response.StatusCode, response.ReasonPhrase, text);
            }

            return JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
        }
    }

    /// <summary>The envelope's error as it is; a body that is not an envelope (a proxy's page) is named by its status.</summary>
    internal static ApiException ToError(int status, string? reason, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var code = error.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "";
                var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
                var details = new Dictionary<string, string>();
                if (error.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.Object)
                {
                    foreach (var field in d.EnumerateObject())
                    {
                        details[field.Name] = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString()! : field.Value.GetRawText();
                    }
                }

                return new ApiException(status, code, message, details);
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the status line.
        }

        return new ApiException(status, $"http/{status}", $"The server answered {status} {reason}".TrimEnd());
    }
}
