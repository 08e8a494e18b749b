using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Mwap.FakeProviders.Drive;

namespace Mwap.FakeProviders.Webhooks;

/// <summary>
/// Dropbox's webhooks (https://www.dropbox.com/developers/reference/webhooks): the app's URI is verified once with a
/// <c>GET ?challenge=…</c> that must be echoed; afterwards every change to a linked account's files POSTs
/// <c>{"list_folder":{"accounts":[…]},"delta":{"users":[…]}}</c> signed with <c>X-Dropbox-Signature</c>, the hex
/// HMAC-SHA256 of the body keyed with the app secret. Notifications for changes in quick succession are coalesced
/// (one in flight, at most one more pending), as Dropbox batches them.
/// </summary>
public sealed class DropboxWebhook : IAsyncDisposable
{
    private readonly FakeProviderState _provider;
    private readonly HttpClient _ownHttp = new();
    private HttpClient _http;
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private string? _url;
    private int _delivered;
    private int _failed;

    internal DropboxWebhook(FakeProviderState provider, FakeDrive files)
    {
        _provider = provider;
        _http = _ownHttp;
        files.Changed += () => _pending.Writer.TryWrite(true);
    }

    /// <summary>Notifications the receiver answered with 200.</summary>
    public int Delivered => Volatile.Read(ref _delivered);

    /// <summary>Notifications the receiver refused or could not be reached for.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>
    /// Verifies <paramref name="url"/> as Dropbox does (the challenge must come back as the whole body) and, if it
    /// passes, sends notifications there from now on. Returns false, and sends nothing, when the check fails.
    /// <paramref name="transport"/> is the HTTP client to deliver with (default: the fake's own, over the network; a
    /// test host's in-memory client works the same).
    /// </summary>
    public async Task<bool> RegisterAsync(string url, HttpClient? transport = null)
    {
        _http = transport ?? _ownHttp;
        var challenge = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        using var response = await _http.GetAsync(url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "challenge=" + challenge);
        if (!response.IsSuccessStatusCode || await response.Content.ReadAsStringAsync() != challenge)
        {
            return false;
        }

        _url = url;
        _loop ??= Task.Run(() => SendLoopAsync(_stop.Token));
        return true;
    }

    /// <summary>The body Dropbox would send now, and its signature with <paramref name="secret"/>.</summary>
    public (string Body, string Signature) Notification(string? secret = null)
    {
        var body = new JsonObject
        {
            ["list_folder"] = new JsonObject { ["accounts"] = new JsonArray(_provider.Account.Id) },
            ["delta"] = new JsonObject { ["users"] = new JsonArray(12345678) },
        }.ToJsonString();
        return (body, Sign(body, secret ?? _provider.ClientSecret));
    }

    public static string Sign(string body, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _pending.Reader.WaitToReadAsync(cancellationToken))
            {
                _pending.Reader.TryRead(out _);
                var (body, signature) = Notification();
                using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add("X-Dropbox-Signature", signature);
                try
                {
                    using var response = await _http.SendAsync(request, cancellationToken);
                    Interlocked.Increment(ref response.IsSuccessStatusCode ? ref _delivered : ref _failed);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref _failed);
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
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
        _ownHttp.Dispose();
    }
}
