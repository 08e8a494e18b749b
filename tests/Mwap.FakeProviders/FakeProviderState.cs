using Mwap.FakeProviders.Drive;
using Mwap.FakeProviders.Faults;
using Mwap.FakeProviders.OAuth;
using Mwap.FakeProviders.Tokens;

namespace Mwap.FakeProviders;

/// <summary>
/// The control surface of one fake provider: the registered client, the signed-in account, its files, counters and
/// fault injection. Every member is safe to call from a test while requests are in flight.
/// </summary>
public sealed partial class FakeProviderState
{
    private readonly HashSet<string> _redirectUris = new(StringComparer.Ordinal);

    internal FakeProviderState(FakeProvider provider, OAuthProfile profile, FakeAccount account, string clientId,
        string clientSecret, TimeProvider time)
    {
        Provider = provider;
        Profile = profile;
        Account = account;
        ClientId = clientId;
        ClientSecret = clientSecret;
        Time = time;
        Tokens = new TokenStore(time);
        Files = new FakeDrive(provider, time);
        DropboxWebhook = new Webhooks.DropboxWebhook(this, Files);
        GraphSubscriptions = new Webhooks.GraphSubscriptions(Files, time);
        DriveChannels = new Webhooks.DriveChannels(Files, time);
        RefreshTokenLifetime = profile.DefaultRefreshTokenLifetime;
    }

    public FakeProvider Provider { get; }

    /// <summary>The registered OAuth client (Dropbox calls these app key and app secret).</summary>
    public string ClientId { get; set; }

    public string ClientSecret { get; set; }

    /// <summary>The user who signs in and consents.</summary>
    public FakeAccount Account { get; set; }

    /// <summary>Dropbox only: the app's webhook (register a URI, then every change to <see cref="Files"/> notifies it).</summary>
    public Webhooks.DropboxWebhook DropboxWebhook { get; }

    /// <summary>
    /// Dropbox only: the account is a member of a team space whose root holds <see cref="Files"/>' top level; the
    /// member's home namespace is the folder <see cref="Dropbox.DropboxTeamSpace.HomePath"/>. Null: a personal account.
    /// </summary>
    public Dropbox.DropboxTeamSpace? DropboxTeamSpace { get; set; }

    /// <summary>Microsoft only: Graph change-notification subscriptions (<c>/subscriptions</c>), notified on every change to <see cref="Files"/>.</summary>
    public Webhooks.GraphSubscriptions GraphSubscriptions { get; }

    /// <summary>Google only: Drive <c>changes.watch</c> channels, notified on every change to <see cref="Files"/>.</summary>
    public Webhooks.DriveChannels DriveChannels { get; }

    /// <summary>The account's folder tree.</summary>
    public FakeDrive Files { get; }

    /// <summary>
    /// Lifetime of new access tokens; null keeps the provider's own (Google 3599 s, Dropbox 14400 s,
    /// Microsoft a random 60–90 minutes).
    /// </summary>
    public TimeSpan? AccessTokenLifetime { get; set; }

    /// <summary>
    /// Lifetime of each new refresh token; null means it never expires. Microsoft defaults to 90 days; set 7 days on
    /// Google to imitate an app left in "Testing" publishing status.
    /// </summary>
    public TimeSpan? RefreshTokenLifetime { get; set; }

    /// <summary>Caps every page below what the client asked for, so tests see paging with a handful of items.</summary>
    public int? MaxPageSize { get; set; }

    /// <summary>Returns an empty first page and half-size odd pages, all with more to come.</summary>
    public bool ShortPages { get; set; }

    /// <summary>
    /// Graph delta paging that never ends: every continuation page of the initial enumeration answers with a
    /// <c>@odata.nextLink</c> to itself. <see cref="GraphDeltaLoop.WhenTopGiven"/> imitates the personal-account bug
    /// reported for delta requests carrying <c>$top</c> (onedrive-api-docs #1424).
    /// </summary>
    public GraphDeltaLoop DeltaPageLoop { get; set; }

    /// <summary>
    /// While set, every refresh of a valid refresh token answers this error instead of tokens (Microsoft's bodies:
    /// <c>interaction_required</c> AADSTS50076, <c>invalid_grant</c> AADSTS65001 with <c>suberror: consent_required</c>,
    /// AADSTS50173 after a password change, AADSTS700082 after 90 days inactive).
    /// </summary>
    public FakeRefreshFailure? RefreshFailure { get; set; }

    /// <summary>
    /// Microsoft: the app registration is single-tenant in this directory (id or domain). Authorize and token requests
    /// on any other authority (<c>common</c>, <c>organizations</c>, <c>consumers</c>) answer AADSTS50194.
    /// </summary>
    public string? SingleTenant { get; set; }

    /// <summary>Drive <c>files.list</c> misbehaviour for queries over several parents (see <see cref="FakeProviders.DriveSearchFault"/>).</summary>
    public DriveSearchFault DriveSearchFault { get; set; }

    /// <summary>Dropbox longpoll: the longest a poll without changes waits before answering <c>changes:false</c>.</summary>
    public TimeSpan LongpollWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Delay added before every request to this provider.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Refuse authorize requests without <c>state</c>. Real providers allow it; a client omitting it has a CSRF hole.</summary>
    public bool RequireState { get; set; } = true;

    /// <summary>Exact redirect URIs registered for the client; when none are, any absolute http(s) URI is accepted.</summary>
    public IReadOnlyCollection<string> RedirectUris
    {
        get
        {
            lock (_redirectUris)
            {
                return [.. _redirectUris];
            }
        }
    }

    internal OAuthProfile Profile { get; }
    internal TokenStore Tokens { get; }
    internal FaultQueue Faults { get; } = new();
    internal TimeProvider Time { get; }

    public void RegisterRedirectUri(string redirectUri)
    {
        lock (_redirectUris)
        {
            _redirectUris.Add(redirectUri);
        }
    }

    internal bool AcceptsRedirectUri(string? redirectUri)
    {
        if (string.IsNullOrEmpty(redirectUri))
        {
            return false;
        }

        lock (_redirectUris)
        {
            if (_redirectUris.Count > 0)
            {
                return _redirectUris.Contains(redirectUri);
            }
        }

        return Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
    }

    internal int PageSize(int requested) => MaxPageSize is { } max ? Math.Min(requested, max) : requested;

    internal TimeSpan NewAccessTokenLifetime() => AccessTokenLifetime ?? Profile.NewAccessTokenLifetime();
}
