using System.Collections.Concurrent;

namespace Mwap.FakeProviders;

public sealed partial class FakeProviderState
{
    private readonly ConcurrentDictionary<string, int> _apiRequests = new(StringComparer.Ordinal);
    private int _authorizeRequests;
    private int _tokenRequests;
    private int _refreshRequests;
    private int _revokeRequests;

    /// <summary>Requests to the authorize endpoint.</summary>
    public int AuthorizeRequests => Volatile.Read(ref _authorizeRequests);

    /// <summary>Token-endpoint requests with grant_type=authorization_code (successful or not).</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>Token-endpoint requests with grant_type=refresh_token (successful or not).</summary>
    public int RefreshRequests => Volatile.Read(ref _refreshRequests);

    /// <summary>Revocation requests (Google /revoke, Dropbox token/revoke, Graph revokeSignInSessions).</summary>
    public int RevokeRequests => Volatile.Read(ref _revokeRequests);

    /// <summary>Every request by the provider's real path (e.g. <c>/drive/v3/files</c>, <c>/2/files/list_folder</c>, <c>/v1.0/me</c>).</summary>
    public IReadOnlyDictionary<string, int> ApiRequests => new Dictionary<string, int>(_apiRequests, StringComparer.Ordinal);

    /// <summary>Requests whose real path starts with <paramref name="pathPrefix"/>, faulted ones included.</summary>
    public int ApiRequestCount(string pathPrefix) =>
        _apiRequests.Where(p => p.Key.StartsWith(pathPrefix, StringComparison.OrdinalIgnoreCase)).Sum(p => p.Value);

    public void ResetCounters()
    {
        _apiRequests.Clear();
        Interlocked.Exchange(ref _authorizeRequests, 0);
        Interlocked.Exchange(ref _tokenRequests, 0);
        Interlocked.Exchange(ref _refreshRequests, 0);
        Interlocked.Exchange(ref _revokeRequests, 0);
    }

    internal void CountRequest(string realPath) => _apiRequests.AddOrUpdate(realPath, 1, (_, n) => n + 1);
    internal void CountAuthorize() => Interlocked.Increment(ref _authorizeRequests);
    internal void CountToken() => Interlocked.Increment(ref _tokenRequests);
    internal void CountRefresh() => Interlocked.Increment(ref _refreshRequests);
    internal void CountRevoke() => Interlocked.Increment(ref _revokeRequests);
}
