using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mwap.FakeProviders.Hosting;

/// <summary>
/// Writes provider bodies byte for byte as built. The fakes speak three foreign wire formats, so they build
/// <see cref="JsonNode"/> trees by hand instead of letting a serializer policy rename or drop members.
/// </summary>
internal sealed class FakeResult(int status, string? body, string? contentType, IReadOnlyList<KeyValuePair<string, string>> headers) : IResult
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static FakeResult Json(JsonNode? body, int status = StatusCodes.Status200OK, params KeyValuePair<string, string>[] headers) =>
        new(status, body is null ? "null" : body.ToJsonString(Options), "application/json", headers);

    /// <summary>Token endpoints answer with no-store so that no cache keeps a token (RFC 6749 §5.1).</summary>
    public static FakeResult TokenJson(JsonNode body, int status = StatusCodes.Status200OK, params KeyValuePair<string, string>[] headers) =>
        Json(body, status, [.. headers, new("Cache-Control", "no-store"), new("Pragma", "no-cache")]);

    public static FakeResult Text(string body, int status, params KeyValuePair<string, string>[] headers) =>
        new(status, body, "text/plain; charset=utf-8", headers);

    public static FakeResult Raw(int status, string? body, string? contentType, params KeyValuePair<string, string>[] headers) =>
        new(status, body, contentType, headers);

    public static FakeResult Redirect(string location) =>
        new(StatusCodes.Status302Found, null, null, [new("Location", location)]);

    public static KeyValuePair<string, string> Header(string name, string value) => new(name, value);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            response.Headers.Append(name, value);
        }

        if (body is null)
        {
            return;
        }

        response.ContentType = contentType ?? (body.StartsWith('{') || body.StartsWith('[') ? "application/json" : "text/plain; charset=utf-8");
        await response.WriteAsync(body);
    }
}
