using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Mwap.Api.Features.WebConsole;

/// <summary>
/// The console's own files and its libraries' (<c>/app/…</c>, <c>/_content/…</c>) as the <c>.br</c>/<c>.gz</c> copies the
/// publish writes next to them, when the browser accepts that encoding: <c>UseBlazorFrameworkFiles</c> does this for
/// <c>_framework</c> only, and MudBlazor's stylesheet and the OIDC script would otherwise cross the wire uncompressed
/// (0.9 MB of the first load).
/// </summary>
internal static class PrecompressedFiles
{
    private const string Marker = "mwap.precompressed";

    public static IApplicationBuilder UsePrecompressedConsoleFiles(this IApplicationBuilder app, IFileProvider files, string basePath)
    {
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            if ((HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)) &&
                (path.StartsWithSegments(basePath) || path.StartsWithSegments("/_content")) &&
                !path.StartsWithSegments(basePath + "/_framework") && Path.HasExtension(path.Value) &&
                Negotiate(context.Request.GetTypedHeaders().AcceptEncoding, files, path.Value!) is { } encoding)
            {
                context.Request.Path = path + encoding.Extension;
                context.Items[Marker] = true;
                context.Response.Headers.ContentEncoding = encoding.Name;
                context.Response.Headers.Vary = HeaderNames.AcceptEncoding;
            }

            return next(context);
        });
        // Only requests rewritten above reach this one: it serves "x.css.br" as CSS (with the encoding set above); a
        // direct request for a compressed copy is the ordinary static files' business, as before.
        app.UseWhen(context => context.Items.ContainsKey(Marker),
            branch => branch.UseStaticFiles(new StaticFileOptions { FileProvider = files, ContentTypeProvider = new CompressedContentTypes() }));
        return app;
    }

    private static (string Name, string Extension)? Negotiate(IList<StringWithQualityHeaderValue> accepted, IFileProvider files, string path)
    {
        foreach (var (name, extension) in new[] { ("br", ".br"), ("gzip", ".gz") })
        {
            if (accepted.Any(a => string.Equals(a.Value.Value, name, StringComparison.OrdinalIgnoreCase) && a.Quality is not 0) &&
                files.GetFileInfo(path + extension).Exists)
            {
                return (name, extension);
            }
        }

        return null;
    }

    /// <summary>The content type of the file a compressed copy stands for.</summary>
    private sealed class CompressedContentTypes : IContentTypeProvider
    {
        private readonly FileExtensionContentTypeProvider _inner = new();

        public bool TryGetContentType(string subpath, out string contentType) =>
            _inner.TryGetContentType(Path.ChangeExtension(subpath, null), out contentType!);
    }
}
