using System.Threading.Channels;

namespace Mwap.FakeProviders.Webhooks;

/// <summary>
/// What Graph's subscriptions and Drive's channels share: a change at the fake drive only signals (the drive raises
/// <c>Changed</c> under its lock), and one loop delivers; changes in quick succession coalesce into one round of
/// notifications, as the providers batch them. Delivery goes over <see cref="Transport"/> (default: the network).
/// </summary>
public abstract class NotificationSender : IAsyncDisposable
{
    private readonly HttpClient _ownHttp = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private HttpClient? _transport;
    private int _changed;
    private int _delivered;
    private int _failed;

    private protected NotificationSender(Drive.FakeDrive files, TimeProvider time)
    {
        Time = time;
        files.Changed += () =>
        {
            Volatile.Write(ref _changed, 1);
            Signal();
        };
        _loop = Task.Run(() => SendLoopAsync(_stop.Token));
    }

    /// <summary>The HTTP client notifications and validation requests go through; a test host's in-memory client works too.</summary>
    public HttpClient Transport
    {
        get => _transport ?? _ownHttp;
        set => _transport = value;
    }

    /// <summary>
    /// Refuse notification URLs that are not https, as the providers do. The self-checks turn this off to receive on
    /// a plain-http local listener.
    /// </summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>Notifications the receiver answered with a 2xx.</summary>
    public int Delivered => Volatile.Read(ref _delivered);

    /// <summary>Notifications the receiver refused or could not be reached for.</summary>
    public int Failed => Volatile.Read(ref _failed);

    private protected TimeProvider Time { get; }

    private protected void Signal() => _pending.Writer.TryWrite(true);

    /// <summary>True (once) when the drive changed since the last call.</summary>
    private protected bool TakeChanged() => Interlocked.Exchange(ref _changed, 0) == 1;

    /// <summary>The requests one round of delivery sends (one per live subscription or channel).</summary>
    private protected abstract IEnumerable<HttpRequestMessage> Round();

    private protected bool AcceptsUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || (!RequireHttps && uri.Scheme == Uri.UriSchemeHttp));

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _pending.Reader.WaitToReadAsync(cancellationToken))
            {
                _pending.Reader.TryRead(out _);
                foreach (var request in Round().ToList())
                {
                    using (request)
                    {
                        try
                        {
                            using var response = await Transport.SendAsync(request, cancellationToken);
                            Interlocked.Increment(ref response.IsSuccessStatusCode ? ref _delivered : ref _failed);
                        }
                        catch (HttpRequestException)
                        {
                            Interlocked.Increment(ref _failed);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _ownHttp.Dispose();
        GC.SuppressFinalize(this);
    }
}
