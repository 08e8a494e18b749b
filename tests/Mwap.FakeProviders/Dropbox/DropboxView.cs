using System.Text.Json;
using System.Text.Json.Nodes;
using Mwap.FakeProviders.Drive;
using Mwap.FakeProviders.Hosting;

namespace Mwap.FakeProviders.Dropbox;

/// <summary>
/// The namespace a call sees, chosen by the <c>Dropbox-API-Path-Root</c> header: paths are relative to
/// <see cref="Base"/> (the drive's root, or the member's home folder in a team space), and nothing outside it exists.
/// </summary>
internal sealed record DropboxView(FakeDrive Files, FakeDriveItem Base, string Prefix)
{
    public const string HeaderName = "Dropbox-API-Path-Root";

    /// <summary>The namespace of an account outside any team space: root and home are the same.</summary>
    public const string UserNamespaceId = "3235641";

    public string PathOf(FakeDriveItem item) => Relative(Files.PathOf(item));

    public string Relative(string absolute) =>
        Prefix.Length == 0 ? absolute : absolute.Length > Prefix.Length ? absolute[Prefix.Length..] : "";

    public bool Contains(FakeDriveItem item)
    {
        for (var current = item; current is not null; current = current.ParentId is null ? null : Files.Find(current.ParentId))
        {
            if (current.Id == Base.Id)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Reads the header: none or <c>home</c> → the home namespace; <c>root</c> must name the current root namespace
    /// (else 422 <c>invalid_root</c> carrying the fresh root info); <c>namespace_id</c> must be root or home (else 422
    /// <c>no_permission</c>). Malformed values are plain-text 400s.
    /// </summary>
    public static FakeResult? Resolve(HttpContext context, FakeProviderState provider, string route, out DropboxView view)
    {
        var team = provider.DropboxTeamSpace;
        var files = provider.Files;
        var home = team is null ? new DropboxView(files, files.Root, "") : Home(files, team);
        view = home;
        var header = context.Request.Headers[HeaderName].ToString();
        if (header.Length == 0)
        {
            return null;
        }

        JsonObject? root;
        try
        {
            root = JsonNode.Parse(header) as JsonObject;
        }
        catch (JsonException)
        {
            root = null;
        }

        var tag = DropboxRpc.String(root, ".tag");
        var rootId = team?.RootNamespaceId ?? UserNamespaceId;
        var homeId = team?.HomeNamespaceId ?? UserNamespaceId;
        var whole = new DropboxView(files, files.Root, "");
        switch (tag)
        {
            case "home":
                return null;
            case "root" when DropboxRpc.String(root, "root") is { } asked:
                view = whole;
                return asked == rootId ? null : PathRootError("invalid_root", RootInfo(team));
            case "namespace_id" when DropboxRpc.String(root, "namespace_id") is { } asked:
                view = asked == rootId ? whole : home;
                return asked == rootId || asked == homeId ? null : PathRootError("no_permission", null);
            default:
                return DropboxErrors.BadInput(route, $"Invalid value for HTTP header \"{HeaderName}\": '{header}'");
        }
    }

    /// <summary><c>root_info</c> of <c>users/get_current_account</c>.</summary>
    public static JsonObject RootInfo(DropboxTeamSpace? team) => team is null
        ? new JsonObject { [".tag"] = "user", ["root_namespace_id"] = UserNamespaceId, ["home_namespace_id"] = UserNamespaceId }
        : new JsonObject
        {
            [".tag"] = "team",
            ["root_namespace_id"] = team.RootNamespaceId,
            ["home_namespace_id"] = team.HomeNamespaceId,
            ["home_path"] = team.HomePath,
        };

    private static DropboxView Home(FakeDrive files, DropboxTeamSpace team)
    {
        var folder = files.FindByPath(team.HomePath) ?? files.AddFolder(team.HomePath);
        return new(files, folder, files.PathOf(folder));
    }

    /// <summary>Dropbox answers path-root errors with 422 and the <c>PathRootError</c> union.</summary>
    private static FakeResult PathRootError(string tag, JsonObject? value)
    {
        var error = new JsonObject { [".tag"] = tag };
        if (value is not null)
        {
            error[tag] = value;
        }

        return FakeResult.Json(new JsonObject { ["error_summary"] = tag + "/..", ["error"] = error }, 422);
    }
}
