namespace Mwap.FakeProviders.Hosting;

/// <summary>
/// Maps the fake's path prefixes back to the real hosts they stand for, so counters and faults use the provider's
/// own paths (<c>/drive/v3/files</c>, <c>/2/files/list_folder</c>, <c>/v1.0/me</c>) whatever prefix serves them.
/// </summary>
internal static class ProviderPaths
{
    public const string Google = "/google";
    public const string Dropbox = "/dropbox";
    public const string DropboxApi = "/dropbox/api";
    public const string DropboxContent = "/dropbox/content";
    public const string DropboxLinks = "/dropbox/dl";
    public const string DropboxNotify = "/dropbox/notify";
    public const string Microsoft = "/microsoft";
    public const string Graph = "/microsoft/graph";
    public const string GraphDownloads = "/microsoft/download";

    // Longest prefix first: "/dropbox/api" must win over "/dropbox".
    private static readonly (string Prefix, FakeProvider Provider)[] Hosts =
    [
        (DropboxApi, FakeProvider.Dropbox),
        (DropboxContent, FakeProvider.Dropbox),
        (DropboxLinks, FakeProvider.Dropbox),
        (DropboxNotify, FakeProvider.Dropbox),
        (Dropbox, FakeProvider.Dropbox),
        (Graph, FakeProvider.Microsoft),
        (GraphDownloads, FakeProvider.Microsoft),
        (Microsoft, FakeProvider.Microsoft),
        (Google, FakeProvider.Google),
    ];

    public static bool TryResolve(PathString path, out FakeProvider provider, out string realPath)
    {
        var value = path.Value ?? "";
        foreach (var (prefix, owner) in Hosts)
        {
            if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && (value.Length == prefix.Length || value[prefix.Length] == '/'))
            {
                provider = owner;
                realPath = value.Length == prefix.Length ? "/" : value[prefix.Length..];
                return true;
            }
        }

        provider = default;
        realPath = value;
        return false;
    }
}
