using System.Globalization;
using Mwap.Api.Features.Integrations.Providers;

namespace Mwap.Api.Features.Webhooks;

/// <summary>What the provider said about a subscription or channel it created or renewed.</summary>
internal sealed record ProviderChannel(string ExternalId, string? ResourceId, DateTime ExpiresAt);

/// <summary>
/// The provider calls behind change notifications. Graph: <c>POST/PATCH/DELETE /subscriptions</c> on
/// <c>/me/drive/root</c> (driveItem supports only <c>updated</c>; https://learn.microsoft.com/graph/api/subscription-post-subscriptions).
/// Drive: <c>changes.watch</c> from the current start page token and <c>channels.stop</c>
/// (https://developers.google.com/drive/api/guides/push). Stateless; the service decides when to call what.
/// </summary>
internal sealed class ProviderChannels(IHttpClientFactory httpFactory)
{
    private HttpClient Http => httpFactory.CreateClient(OAuthHttp.ClientName);

    public async Task<ProviderChannel> CreateGraphAsync(ProviderConfig config, string token, string notificationUrl, string clientState,
        DateTime expiresAt, CancellationToken cancellationToken)
    {
        using var request = OAuthHttp.Bearer(HttpMethod.Post, Graph(config, "/subscriptions"), token, JsonContent.Create(new
        {
            changeType = "updated",
            notificationUrl,
            resource = "/me/drive/root",
            expirationDateTime = Iso(expiresAt),
            clientState,
        }));
        using var json = await OAuthHttp.SendJsonAsync(Http, request, cancellationToken);
        return new ProviderChannel(ProviderJson.String(json.RootElement, "id") ?? throw BadAnswer("Graph returned no subscription id"), null,
            ExpirationOf(json.RootElement, expiresAt));
    }

    /// <summary>Extends a subscription; a <see cref="ProviderErrorKind.NotFound"/> means Graph no longer has it.</summary>
    public async Task<DateTime> RenewGraphAsync(ProviderConfig config, string token, string subscriptionId, DateTime expiresAt, CancellationToken cancellationToken)
    {
        using var request = OAuthHttp.Bearer(HttpMethod.Patch, Graph(config, "/subscriptions/" + Uri.EscapeDataString(subscriptionId)), token,
            JsonContent.Create(new { expirationDateTime = Iso(expiresAt) }));
        using var json = await OAuthHttp.SendJsonAsync(Http, request, cancellationToken);
        return ExpirationOf(json.RootElement, expiresAt);
    }

    public async Task DeleteGraphAsync(ProviderConfig config, string token, string subscriptionId, CancellationToken cancellationToken)
    {
        using var request = OAuthHttp.Bearer(HttpMethod.Delete, Graph(config, "/subscriptions/" + Uri.EscapeDataString(subscriptionId)), token);
        using var _ = await OAuthHttp.SendJsonAsync(Http, request, cancellationToken);
    }

    public async Task<ProviderChannel> WatchDriveAsync(ProviderConfig config, string token, string channelId, string address, string channelToken,
        DateTime expiresAt, CancellationToken cancellationToken)
    {
        string pageToken;
        using (var start = OAuthHttp.Bearer(HttpMethod.Get, Drive(config, "/changes/startPageToken?supportsAllDrives=true"), token))
        using (var json = await OAuthHttp.SendJsonAsync(Http, start, cancellationToken))
        {
            pageToken = ProviderJson.String(json.RootElement, "startPageToken") ?? throw BadAnswer("Drive returned no start page token");
        }

        var url = OAuthHttp.Query(Drive(config, "/changes/watch"), [new("pageToken", pageToken), new("supportsAllDrives", "true"), new("includeItemsFromAllDrives", "true")]);
        using var request = OAuthHttp.Bearer(HttpMethod.Post, url, token, JsonContent.Create(new
        {
            id = channelId,
            type = "web_hook",
            address,
            token = channelToken,
            expiration = new DateTimeOffset(expiresAt, TimeSpan.Zero).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        }));
        using var answer = await OAuthHttp.SendJsonAsync(Http, request, cancellationToken);
        var root = answer.RootElement;
        var expiration = ProviderJson.String(root, "expiration") is { } ms && long.TryParse(ms, CultureInfo.InvariantCulture, out var value)
            ? DateTimeOffset.FromUnixTimeMilliseconds(value).UtcDateTime
            : expiresAt;
        return new ProviderChannel(channelId, ProviderJson.String(root, "resourceId") ?? throw BadAnswer("Drive returned no resourceId"), expiration);
    }

    public async Task StopDriveAsync(ProviderConfig config, string token, string channelId, string resourceId, CancellationToken cancellationToken)
    {
        using var request = OAuthHttp.Bearer(HttpMethod.Post, Drive(config, "/channels/stop"), token, JsonContent.Create(new { id = channelId, resourceId }));
        using var _ = await OAuthHttp.SendJsonAsync(Http, request, cancellationToken);
    }

    private static DateTime ExpirationOf(System.Text.Json.JsonElement root, DateTime asked) =>
        DateTimeOffset.TryParse(ProviderJson.String(root, "expirationDateTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.UtcDateTime
            : asked;

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static string Graph(ProviderConfig config, string path) => Join(config.ApiBaseUrl, "/v1.0", path);

    private static string Drive(ProviderConfig config, string path) => Join(config.ApiBaseUrl, "/drive/v3", path);

    private static string Join(string baseUrl, string version, string path)
    {
        var trimmed = baseUrl.TrimEnd('/');
        return trimmed.EndsWith(version, StringComparison.Ordinal) ? trimmed + path : trimmed + version + path;
    }

    private static ProviderException BadAnswer(string message) => new(ProviderErrorKind.BadResponse, 200, message);
}
