using Microsoft.Extensions.Options;

namespace Mwap.Api.Features.WebConsole;

/// <summary>
/// Serves the Blazor WebAssembly console (<c>src/Mwap.Console</c>) under <c>/app</c>: its framework files, its static
/// assets, and <c>index.html</c> for any other path under <c>/app</c> (client-side routes). Nothing outside <c>/app</c>.
/// </summary>
internal static class ConsoleHosting
{
    public const string BasePath = "/app";

    public static WebApplicationBuilder AddConsole(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.SectionName);
        // Outside Development a server run from its build output (tests, `dotnet run -e Production`) would not see the
        // console's files, which live in the build's static web assets manifest; a published server has them in
        // wwwroot and no manifest, and then this does nothing.
        builder.WebHost.UseStaticWebAssets();
        return builder;
    }

    /// <summary>Static files for <c>/app</c>: runs before routing, so the API's fallback authorization never sees them.</summary>
    public static IApplicationBuilder UseConsoleFiles(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value.Enabled)
        {
            return app;
        }

        var csp = Csp(app.Configuration["Auth:Authority"]);
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(BasePath))
            {
                if (context.Request.Path.Value is { } path && path.Length == BasePath.Length)
                {
                    context.Response.Redirect(BasePath + "/" + context.Request.QueryString);
                    return Task.CompletedTask;
                }

                context.Response.OnStarting(() =>
                {
                    context.Response.Headers.ContentSecurityPolicy = csp;
                    context.Response.Headers.XFrameOptions = "SAMEORIGIN";
                    return Task.CompletedTask;
                });
            }

            return next(context);
        });
        app.UseBlazorFrameworkFiles(BasePath);
        app.UsePrecompressedConsoleFiles(app.Environment.WebRootFileProvider, BasePath);
        app.UseStaticFiles(new StaticFileOptions { FileProvider = app.Environment.WebRootFileProvider, RequestPath = "" });
        return app;
    }

    /// <summary>Any other path under <c>/app</c> is a client-side route: the app's <c>index.html</c>, its configuration inlined.</summary>
    public static WebApplication MapConsoleFallback(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value.Enabled)
        {
            app.MapFallback(BasePath + "/{**path:nonfile}", ConsoleIndexPage.ServeAsync).AllowAnonymous().ExcludeFromDescription();
        }

        return app;
    }

    /// <summary>
    /// Scripts: the app itself plus WebAssembly compilation; styles inline (the component library sets them); connect and
    /// frame: the OIDC issuer too (token endpoint, silent renew). No inline scripts in index.html. Framed only by itself:
    /// silent sign-in and token renewal load the issuer in a hidden iframe that comes back to the app's login callback,
    /// which 'none' would refuse (each attempt then hangs for the library's 10 s timeout and renewal never works).
    /// </summary>
    internal static string Csp(string? authority)
    {
        var extra = Uri.TryCreate(authority, UriKind.Absolute, out var uri) ? " " + uri.GetLeftPart(UriPartial.Authority) : "";
        return "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
            $"font-src 'self' data:; connect-src 'self'{extra}; frame-src 'self'{extra}; frame-ancestors 'self'; base-uri 'self'; " +
            $"form-action 'self'{extra}; object-src 'none'";
    }
}
