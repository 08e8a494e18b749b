using Mwap.FakeProviders.Dropbox;
using Mwap.FakeProviders.Faults;
using Mwap.FakeProviders.Google;
using Mwap.FakeProviders.Microsoft;
using Mwap.FakeProviders.Tokens;

namespace Mwap.FakeProviders;

public sealed partial class FakeProviderState
{
    private readonly Lock _consentGate = new();
    private int _pendingDenials;
    private int _lostExchangeAnswers;
    private string[]? _grantOnly;
    private int _cursorGeneration;

    /// <summary>
    /// The next successful code exchange redeems the code (it is single-use from then on) and mints tokens, but answers
    /// 502: the answer was lost on the way back. A client that retries the exchange gets the provider's "code already
    /// redeemed" error.
    /// </summary>
    public void LoseNextCodeExchangeAnswer() => Interlocked.Increment(ref _lostExchangeAnswers);

    internal bool TakeLostExchangeAnswer()
    {
        var pending = Volatile.Read(ref _lostExchangeAnswers);
        while (pending > 0)
        {
            var seen = Interlocked.CompareExchange(ref _lostExchangeAnswers, pending - 1, pending);
            if (seen == pending)
            {
                return true;
            }

            pending = seen;
        }

        return false;
    }

    private readonly HashSet<string> _largeExports = new(StringComparer.Ordinal);

    /// <summary>Drive: exports of this Docs-editor file exceed the 10 MB export limit (403 <c>exportSizeLimitExceeded</c>).</summary>
    public void MakeExportTooLarge(string fileId)
    {
        lock (_largeExports)
        {
            _largeExports.Add(fileId);
        }
    }

    internal bool IsLargeExport(string fileId)
    {
        lock (_largeExports)
        {
            return _largeExports.Contains(fileId);
        }
    }

    /// <summary>The next authorization redirects back with error=access_denied, as when the user clicks "Cancel".</summary>
    public void DenyNextAuthorization() => Interlocked.Increment(ref _pendingDenials);

    /// <summary>
    /// Granular consent: from now on the user grants only these of the requested scopes (Google lets users untick
    /// scopes; the token response's <c>scope</c> then lacks the others). <see cref="GrantAllScopes"/> undoes it.
    /// </summary>
    public void GrantOnlyScopes(params string[] scopes)
    {
        lock (_consentGate)
        {
            _grantOnly = [.. scopes];
        }
    }

    public void GrantAllScopes()
    {
        lock (_consentGate)
        {
            _grantOnly = null;
        }
    }

    /// <summary>Revokes every grant: all access and refresh tokens stop working and refreshes answer invalid_grant.</summary>
    public void RevokeAllTokens() => Tokens.RevokeAll();

    /// <summary>Makes every access token issued so far expired (refresh tokens are untouched).</summary>
    public void ExpireAccessTokens() => Tokens.ExpireAccessTokens();

    /// <summary>Dropbox: cursors issued so far answer 409 <c>reset</c>, as after a server-side cursor invalidation.</summary>
    public void InvalidateCursors() => Interlocked.Increment(ref _cursorGeneration);

    /// <summary>
    /// Expires every change cursor issued so far. Google: page tokens answer 400 <c>invalid</c> (location
    /// <c>pageToken</c>); Dropbox: cursors answer 409 <c>reset</c> (as <see cref="InvalidateCursors"/>); Graph: delta
    /// and next links answer 410 <c>resyncRequired</c> with a Location restarting the enumeration.
    /// </summary>
    public void ExpireChangeCursors()
    {
        InvalidateCursors();
        Files.ExpireChangeTokens();
    }

    /// <summary>
    /// Fails the next <paramref name="times"/> requests whose path starts with <paramref name="path"/> (the real API
    /// path such as <c>/drive/v3/files</c>, <c>/2/files/list_folder</c>, <c>/v1.0/me/drive</c>, <c>/token</c>, or
    /// <c>*</c> for any). A null <paramref name="body"/> uses the provider's own body for that status: Google 403 is
    /// <c>userRateLimitExceeded</c>, 429 <c>rateLimitExceeded</c>; Dropbox 429 <c>too_many_requests</c> with
    /// <c>retry_after</c>; Graph 429 <c>activityLimitReached</c>, 503 <c>serviceNotAvailable</c>.
    /// <paramref name="skip"/> lets that many matching requests through first, e.g. <c>skip: 2</c> fails the third
    /// page of a feed walk.
    /// </summary>
    public void EnqueueFault(string path, int status, string? body = null, int? retryAfterSeconds = null, int times = 1,
        string? contentType = null, int skip = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        body ??= Provider switch
        {
            FakeProvider.Google => GoogleErrors.ForStatus(status).ToJsonString(),
            FakeProvider.Dropbox => DropboxErrors.ForStatus(status, retryAfterSeconds),
            _ => GraphErrors.ForStatus(status).ToJsonString(),
        };
        Faults.Enqueue(new PendingFault(path, status, body, retryAfterSeconds, times, contentType) { Skip = skip });
    }

    /// <summary>The provider's usual throttling answer: 429 with Retry-After and its own body, after <paramref name="skip"/> matching requests.</summary>
    public void EnqueueThrottle(string path, int retryAfterSeconds = 1, int times = 1, int skip = 0) =>
        EnqueueFault(path, 429, null, retryAfterSeconds, times, skip: skip);

    public int PendingFaults => Faults.Pending;

    public void ClearFaults() => Faults.Clear();

    /// <summary>Every access and refresh token issued, oldest first.</summary>
    public IReadOnlyList<FakeTokenInfo> IssuedTokens => Tokens.Snapshot();

    public FakeTokenInfo? FindToken(string value) => Tokens.Find(value);

    /// <summary>Mints tokens as a completed authorization would, for tests that need a connection but not the dance.</summary>
    public FakeIssuedTokens IssueTokens(IEnumerable<string>? scopes = null, bool withRefreshToken = true)
    {
        var granted = scopes?.ToList() ?? [.. Profile.ScopesWhenNoneRequested];
        var grant = Tokens.NewGrant(ClientId, granted, usedPkce: false);
        var (access, lifetime, refresh) = Mint(grant, withRefreshToken);
        return new FakeIssuedTokens(access, refresh, granted, lifetime);
    }

    internal int CursorGeneration => Volatile.Read(ref _cursorGeneration);

    internal bool TakeDenial()
    {
        var pending = Volatile.Read(ref _pendingDenials);
        while (pending > 0)
        {
            var seen = Interlocked.CompareExchange(ref _pendingDenials, pending - 1, pending);
            if (seen == pending)
            {
                return true;
            }

            pending = seen;
        }

        return false;
    }

    internal IReadOnlyList<string> GrantedScopes(IReadOnlyList<string> requested)
    {
        lock (_consentGate)
        {
            return _grantOnly is null ? requested : [.. requested.Where(s => _grantOnly.Contains(s, StringComparer.Ordinal))];
        }
    }

    internal (string AccessToken, TimeSpan Lifetime, string? RefreshToken) Mint(Grant grant, bool withRefreshToken)
    {
        var lifetime = NewAccessTokenLifetime();
        var access = Tokens.Issue(grant, FakeTokenKind.AccessToken, Profile.NewAccessToken(), lifetime).Value;
        if (!withRefreshToken)
        {
            return (access, lifetime, null);
        }

        var refresh = Tokens.Issue(grant, FakeTokenKind.RefreshToken, Profile.NewRefreshToken(), RefreshTokenLifetime).Value;
        if (Profile.MaxRefreshTokensPerClient is { } max)
        {
            Tokens.EnforceRefreshTokenLimit(grant.ClientId, max);
        }

        return (access, lifetime, refresh);
    }
}
