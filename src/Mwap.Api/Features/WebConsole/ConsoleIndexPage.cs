using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.WebConsole;

/// <summary>
/// The console's <c>index.html</c> for <c>/app/</c> and its client-side routes, with the app's configuration written into
/// it (a JSON data block, which the content security policy does not treat as a script): the app then starts without a
/// round trip to <c>GET /api/v1/console/config</c> first. In development mode the OIDC script is left out, since nothing
/// calls it there. <c>/app/index.html</c> itself stays the static file; the app then asks for the configuration.
/// </summary>
internal static partial class ConsoleIndexPage
{
    /// <summary>The id of the data block; <c>js/console.js</c> reads it.</summary>
    public const string ConfigElementId = "mwap-console-config";

    private const string IndexFile = "app/index.html";

    [GeneratedRegex("""\s*<script[^>]*\sdata-mwap-oidc[^>]*></script>""")]
    private static partial Regex OidcScript();

    public static async Task ServeAsync(HttpContext context)
    {
        var environment = context.RequestServices.GetRequiredService<IWebHostEnvironment>();
        var file = environment.WebRootFileProvider.GetFileInfo(IndexFile);
        if (!file.Exists)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        string html;
        using (var reader = new StreamReader(file.CreateReadStream()))
        {
            html = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var config = ConsoleEndpoints.Config(context.RequestServices.GetRequiredService<IOptions<ConsoleOptions>>().Value,
            context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value, environment);
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync(Render(html, config), context.RequestAborted);
    }

    /// <summary>The JSON is HTML-safe: the default encoder escapes <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c>, so no value ends the block.</summary>
    internal static string Render(string html, ConsoleConfigResponse config)
    {
        var json = JsonSerializer.Serialize(config, JsonSerializerOptions.Web);
        var block = $"    <script id=\"{ConfigElementId}\" type=\"application/json\">{json}</script>\n";
        var withConfig = html.Replace("</head>", block + "</head>", StringComparison.Ordinal);
        return config.DevSignIn ? OidcScript().Replace(withConfig, "") : withConfig;
    }
}
