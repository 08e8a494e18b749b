using System.Collections.Concurrent;
using System.Globalization;

namespace Mwap.FakeProviders.Webhooks;

/// <summary>One Drive notification channel as the fake holds it.</summary>
public sealed record FakeDriveChannel(string Id, string ResourceId, string Address, string? Token, DateTimeOffset Expiration, string PageToken);

/// <summary>
/// Drive push notifications for <c>changes.watch</c> (https://developers.google.com/drive/api/guides/push): a channel
/// <c>{id, type: "web_hook", address, token, expiration}</c> lives until its expiration (at most one week for the
/// changes resource; one hour when none is asked); Drive first POSTs a <c>sync</c> message, then one <c>change</c> per
/// batch of changes, each with no body and the <c>X-Goog-*</c> headers. <c>channels.stop</c> takes <c>{id, resourceId}</c>.
/// </summary>
public sealed class DriveChannels : NotificationSender
{
    /// <summary>The longest a changes channel may live.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(7);
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, FakeDriveChannel> _live = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _messageNumbers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeDriveChannel> _needSync = new();
    private readonly ConcurrentQueue<string> _stopped = new();

    internal DriveChannels(Drive.FakeDrive files, TimeProvider time) : base(files, time)
    {
    }

    /// <summary>Channels that exist (watched, not stopped, not expired).</summary>
    public IReadOnlyList<FakeDriveChannel> Live => [.. _live.Values.Where(c => c.Expiration > Time.GetUtcNow())];

    /// <summary>Ids of channels stopped through <c>channels.stop</c>.</summary>
    public IReadOnlyList<string> Stopped => [.. _stopped];

    /// <summary>A notification as Drive sends it for <paramref name="channel"/>, with <paramref name="token"/> as its channel token.</summary>
    public static HttpRequestMessage Notification(FakeDriveChannel channel, string state, long messageNumber, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, channel.Address);
        request.Headers.Add("X-Goog-Channel-ID", channel.Id);
        if (token is not null)
        {
            request.Headers.Add("X-Goog-Channel-Token", token);
        }

        request.Headers.Add("X-Goog-Channel-Expiration", channel.Expiration.ToString("R", CultureInfo.InvariantCulture));
        request.Headers.Add("X-Goog-Resource-State", state);
        request.Headers.Add("X-Goog-Resource-ID", channel.ResourceId);
        request.Headers.Add("X-Goog-Resource-URI", "https://www.googleapis.com/drive/v3/changes?alt=json&pageToken=" + channel.PageToken);
        request.Headers.Add("X-Goog-Message-Number", messageNumber.ToString(CultureInfo.InvariantCulture));
        return request;
    }

    /// <summary>Drive drops a channel (as when it expires): no more notifications, and stopping it is a 404.</summary>
    public bool Forget(string id) => _live.TryRemove(id, out _);

    internal bool Accepts(string? url) => AcceptsUrl(url);

    internal bool Exists(string id) => _live.ContainsKey(id);

    internal FakeDriveChannel Add(string id, string address, string? token, DateTimeOffset expiration, string pageToken)
    {
        var channel = new FakeDriveChannel(id, Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            address, token, expiration, pageToken);
        _live[id] = channel;
        _needSync.Enqueue(channel);
        Signal();
        return channel;
    }

    internal bool Stop(string id, string resourceId)
    {
        if (!_live.TryGetValue(id, out var channel) || channel.ResourceId != resourceId || !_live.TryRemove(id, out _))
        {
            return false;
        }

        _stopped.Enqueue(id);
        return true;
    }

    private protected override IEnumerable<HttpRequestMessage> Round()
    {
        var changed = TakeChanged();
        while (_needSync.TryDequeue(out var fresh))
        {
            yield return Notification(fresh, "sync", Next(fresh.Id), fresh.Token);
        }

        foreach (var channel in changed ? Live : [])
        {
            yield return Notification(channel, "change", Next(channel.Id), channel.Token);
        }
    }

    private long Next(string channelId) => _messageNumbers.AddOrUpdate(channelId, 1, (_, n) => n + 1);
}
