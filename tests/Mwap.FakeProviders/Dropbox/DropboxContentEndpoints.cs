using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mwap.FakeProviders.Hosting;
using Mwap.FakeProviders.Tokens;

namespace Mwap.FakeProviders.Dropbox;

/// <summary>Downloads: <c>files/get_temporary_link</c> (4-hour links, 410 afterwards) and content-host <c>files/download</c>.</summary>
internal static class DropboxContentEndpoints
{
    private static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(4);

    public static void MapDropboxContent(this IEndpointRouteBuilder app, FakeProviderState provider)
    {
        var links = new ConcurrentDictionary<string, (string ItemId, DateTimeOffset ExpiresAt)>(StringComparer.Ordinal);
        app.MapPost(ProviderPaths.DropboxApi + "/2/files/get_temporary_link", Task<IResult> (HttpContext context) => TemporaryLinkAsync(context, provider, links));
        app.MapGet(ProviderPaths.DropboxLinks + "/{token}/{name}", (string token) => FollowLink(provider, links, token));
        app.MapPost(ProviderPaths.DropboxContent + "/2/files/download", (HttpContext context) => Download(context, provider));
    }

    private static async Task<IResult> TemporaryLinkAsync(HttpContext context, FakeProviderState provider,
        ConcurrentDictionary<string, (string, DateTimeOffset)> links)
    {
        const string Route = "files/get_temporary_link";
        if (DropboxRpc.RejectAuth(context, provider, Route) is { } rejection)
        {
            return rejection;
        }

        if (DropboxView.Resolve(context, provider, Route, out var view) is { } badRoot)
        {
            return badRoot;
        }

        var (args, error) = await DropboxRpc.ReadArgsAsync(context, Route);
        if (error is not null)
        {
            return error;
        }

        if (DropboxRpc.ResolvePath(view, Route, DropboxRpc.String(args, "path"), out var item) is { } badPath)
        {
            return badPath;
        }

        if (item is null || item.IsFolder || item.Content is null)
        {
            return DropboxErrors.Path(item is null ? "not_found" : "not_file");
        }

        var token = TokenValues.Random("", 40);
        links[token] = (item.Id, provider.Time.GetUtcNow() + LinkLifetime);
        var request = context.Request;
        return FakeResult.Json(new JsonObject
        {
            ["metadata"] = DropboxEntryJson.Entry(provider.Files, item, withTag: false, prefix: view.Prefix),
            ["link"] = $"{request.Scheme}://{request.Host}{ProviderPaths.DropboxLinks}/{token}/{Uri.EscapeDataString(item.Name)}",
        });
    }

    /// <summary>Temporary links need no token; after four hours they answer 410 Gone.</summary>
    private static IResult FollowLink(FakeProviderState provider, ConcurrentDictionary<string, (string ItemId, DateTimeOffset ExpiresAt)> links, string token)
    {
        if (!links.TryGetValue(token, out var link) || provider.Files.Find(link.ItemId) is not { Content: { } content } item)
        {
            return FakeResult.Text("Not Found", 404);
        }

        return link.ExpiresAt <= provider.Time.GetUtcNow()
            ? FakeResult.Text("Gone", 410)
            : Results.Bytes(content, item.MimeType, enableRangeProcessing: true);
    }

    /// <summary>Arguments travel in the Dropbox-API-Arg header; the metadata comes back in Dropbox-API-Result.</summary>
    private static IResult Download(HttpContext context, FakeProviderState provider)
    {
        const string Route = "files/download";
        if (DropboxRpc.RejectAuth(context, provider, Route) is { } rejection)
        {
            return rejection;
        }

        if (DropboxView.Resolve(context, provider, Route, out var view) is { } badRoot)
        {
            return badRoot;
        }

        JsonNode? args;
        try
        {
            args = JsonNode.Parse(context.Request.Headers["Dropbox-API-Arg"].ToString() is { Length: > 0 } header ? header : context.Request.Query["arg"].ToString());
        }
        catch (JsonException)
        {
            return DropboxErrors.BadInput(Route, "HTTP header \"Dropbox-API-Arg\": could not decode input as JSON");
        }

        if (DropboxRpc.ResolvePath(view, Route, DropboxRpc.String(args as JsonObject, "path"), out var item) is { } badPath)
        {
            return badPath;
        }

        if (item is null || item.IsFolder || item.Content is null)
        {
            return DropboxErrors.Path(item is null ? "not_found" : "not_file");
        }

        // Header values must be ASCII, so the default (escaping) serializer is the right one here.
        context.Response.Headers["Dropbox-API-Result"] = DropboxEntryJson.Entry(provider.Files, item, withTag: false, prefix: view.Prefix).ToJsonString(JsonSerializerOptions.Default);
        return Results.Bytes(item.Content, "application/octet-stream", enableRangeProcessing: true);
    }
}
