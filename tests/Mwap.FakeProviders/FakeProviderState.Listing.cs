using System.Collections.Concurrent;

namespace Mwap.FakeProviders;

/// <summary>Dropbox's slow recursive listings and its refusal of simultaneous identical calls.</summary>
public sealed partial class FakeProviderState
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _runningListings = new(StringComparer.Ordinal);
    private int _listingCollisions;

    /// <summary>
    /// Dropbox: every recursive <c>list_folder</c> takes this long to answer (huge trees), and keeps running after the
    /// client gives up. Meanwhile an identical call (same token, arguments and path root) is answered 429
    /// <c>too_many_requests</c> with <c>Retry-After</c>, as Dropbox does for simultaneous identical list calls.
    /// </summary>
    public TimeSpan? SlowRecursiveListing { get; set; }

    /// <summary>Identical recursive listings that arrived while the first was still running (each answered 429).</summary>
    public int ListingCollisions => Volatile.Read(ref _listingCollisions);

    /// <summary>Recursive listings running now (tests wait on it to send a call while one runs).</summary>
    public int RunningListings => _runningListings.Count;

    /// <summary>Starts a listing, or says how many seconds remain of the identical one still running.</summary>
    internal bool TryStartListing(string key, TimeSpan duration, out int retryAfterSeconds)
    {
        var now = TimeProvider.System.GetUtcNow(); // real time: the delay it measures is a real one
        var end = now + duration;
        var running = _runningListings.GetOrAdd(key, end);
        if (running == end)
        {
            retryAfterSeconds = 0;
            return true;
        }

        Interlocked.Increment(ref _listingCollisions);
        retryAfterSeconds = Math.Max(1, (int)Math.Ceiling((running - now).TotalSeconds));
        return false;
    }

    internal void EndListing(string key) => _runningListings.TryRemove(key, out _);
}
