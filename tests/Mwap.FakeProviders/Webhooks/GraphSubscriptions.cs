using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Mwap.FakeProviders.Webhooks;

/// <summary>One Graph change-notification subscription as the fake holds it.</summary>
public sealed record FakeGraphSubscription(string Id, string Resource, string ChangeType, string NotificationUrl, string? ClientState,
    DateTimeOffset ExpirationDateTime);

/// <summary>
/// Microsoft Graph change notifications for driveItem
/// (https://learn.microsoft.com/graph/api/subscription-post-subscriptions, /graph/change-notifications-delivery-webhooks):
/// <c>POST /subscriptions</c> first POSTs <c>{notificationUrl}?validationToken=…</c> and succeeds only if the token
/// comes back as text/plain with 200 within 10 s; driveItem supports only <c>changeType: updated</c> on the drive root,
/// for at most 42,300 minutes. Each change then POSTs <c>{"value":[{subscriptionId, clientState, resource, changeType,
/// subscriptionExpirationDateTime, tenantId}]}</c> to every live subscription.
/// </summary>
public sealed class GraphSubscriptions : NotificationSender
{
    /// <summary>Graph's maximum subscription length for driveItem.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(42_300);

    private readonly ConcurrentDictionary<string, FakeGraphSubscription> _live = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _deleted = new();

    internal GraphSubscriptions(Drive.FakeDrive files, TimeProvider time) : base(files, time)
    {
    }

    /// <summary>Subscriptions that exist (created, not deleted, not expired).</summary>
    public IReadOnlyList<FakeGraphSubscription> Live => [.. _live.Values.Where(s => s.ExpirationDateTime > Time.GetUtcNow())];

    /// <summary>Ids of subscriptions deleted through <c>DELETE /subscriptions/{id}</c>.</summary>
    public IReadOnlyList<string> Deleted => [.. _deleted];

    /// <summary>Graph forgets a subscription (as after expiry or a service-side removal): renewing it is then a 404.</summary>
    public bool Forget(string id) => _live.TryRemove(id, out _);

    /// <summary>The body Graph would send now for <paramref name="subscription"/>.</summary>
    public static string Notification(FakeGraphSubscription subscription, string? clientState) => new JsonObject
    {
        ["value"] = new JsonArray(new JsonObject
        {
            ["subscriptionId"] = subscription.Id,
            ["subscriptionExpirationDateTime"] = subscription.ExpirationDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffK", CultureInfo.InvariantCulture),
            ["changeType"] = subscription.ChangeType,
            ["resource"] = subscription.Resource.TrimStart('/'),
            ["clientState"] = clientState,
            ["tenantId"] = "9188040d-6c67-4c5b-b112-36a304b66dad",
        }),
    }.ToJsonString();

    /// <summary>Graph's validation handshake: the URL must answer 200 text/plain with the decoded token within 10 s.</summary>
    internal async Task<bool> ValidateAsync(string notificationUrl)
    {
        var token = "Validation: Testing client application reachability for subscription Request-Id: " + Guid.NewGuid();
        var url = notificationUrl + (notificationUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "validationToken=" + Uri.EscapeDataString(token);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent("", Encoding.UTF8, "text/plain") };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            using var response = await Transport.SendAsync(request, timeout.Token);
            return response.StatusCode == HttpStatusCode.OK
                && response.Content.Headers.ContentType?.MediaType == "text/plain"
                && await response.Content.ReadAsStringAsync(timeout.Token) == token;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    internal FakeGraphSubscription Add(string resource, string changeType, string notificationUrl, string? clientState, DateTimeOffset expiration)
    {
        var subscription = new FakeGraphSubscription(Guid.NewGuid().ToString(), resource, changeType, notificationUrl, clientState, expiration);
        _live[subscription.Id] = subscription;
        return subscription;
    }

    internal FakeGraphSubscription? Find(string id) =>
        _live.TryGetValue(id, out var subscription) && subscription.ExpirationDateTime > Time.GetUtcNow() ? subscription : null;

    internal FakeGraphSubscription? Renew(string id, DateTimeOffset expiration)
    {
        if (Find(id) is not { } subscription)
        {
            return null;
        }

        var renewed = subscription with { ExpirationDateTime = expiration };
        _live[id] = renewed;
        return renewed;
    }

    internal bool Delete(string id)
    {
        if (Find(id) is null || !_live.TryRemove(id, out _))
        {
            return false;
        }

        _deleted.Enqueue(id);
        return true;
    }

    internal bool Accepts(string? url) => AcceptsUrl(url);

    private protected override IEnumerable<HttpRequestMessage> Round() =>
        (TakeChanged() ? Live : []).Select(s => new HttpRequestMessage(HttpMethod.Post, s.NotificationUrl)
        {
            Content = new StringContent(Notification(s, s.ClientState), Encoding.UTF8, "application/json"),
        });
}
