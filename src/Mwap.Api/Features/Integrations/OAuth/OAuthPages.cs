using System.Net;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Mwap.Api.Features.Integrations.OAuth;

/// <summary>
/// The pages the popup lands on. Every value is escaped for its context (HTML text, JSON in a script); the message is
/// posted only to <c>OAuth:FrontendOrigin</c>; the script runs under a per-response nonce, and the opener policy is
/// relaxed for these two pages only so the popup can talk to its opener and close.
/// </summary>
internal sealed class OAuthPages(IOptions<OAuthOptions> options)
{
    public IResult Success(string? tenantId, string? integrationId)
    {
        if (string.IsNullOrEmpty(tenantId) || string.IsNullOrEmpty(integrationId))
        {
            return Page(HttpStatusCode.BadRequest, "OAuth Error", "The connection result is incomplete. Close this window and try again.",
                new { type = "oauth_error", message = "Missing parameters", code = "MISSING_PARAMETERS" });
        }

        return Page(HttpStatusCode.OK, "Connected", "Your storage account is connected. You can close this window.",
            new { type = "oauth_success", tenantId, integrationId }, $"Integration {integrationId}");
    }

    public IResult Error(string? message, string? code) =>
        Page(HttpStatusCode.OK, "Connection failed", message ?? "OAuth authentication failed",
            new { type = "oauth_error", message = message ?? "OAuth authentication failed", code = code ?? "UNKNOWN_ERROR" }, code ?? "UNKNOWN_ERROR");

    private PageResult Page(HttpStatusCode status, string title, string message, object postMessage, string? detail = null)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var origin = options.Value.FrontendOrigin;
        var html = HtmlEncoder.Default;
        var script = origin is { Length: > 0 }
            ? $$"""
              <script nonce="{{nonce}}">
                (function () {
                  var data = {{JsonSerializer.Serialize(postMessage, ScriptJson)}};
                  if (window.opener) { window.opener.postMessage(data, {{JsonSerializer.Serialize(origin, ScriptJson)}}); setTimeout(function () { window.close(); }, 1500); }
                })();
              </script>
              """
            : $$"""<script nonce="{{nonce}}">if (window.opener) { setTimeout(function () { window.close(); }, 1500); }</script>""";
        var body = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{html.Encode(title)}</title></head>
            <body><h1>{html.Encode(title)}</h1><p>{html.Encode(message)}</p>{(detail is null ? "" : $"<p><small>{html.Encode(detail)}</small></p>")}
            {script}
            </body></html>
            """;
        return new PageResult((int)status, body, nonce);
    }

    // Escapes <, >, & and quotes as \uXXXX so data can never close the script element.
    private static readonly JsonSerializerOptions ScriptJson = new() { Encoder = JavaScriptEncoder.Default };

    private sealed class PageResult(int status, string body, string nonce) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            response.Headers.ContentSecurityPolicy = $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            response.Headers["Cross-Origin-Opener-Policy"] = "unsafe-none";
            return response.WriteAsync(body);
        }
    }
}
