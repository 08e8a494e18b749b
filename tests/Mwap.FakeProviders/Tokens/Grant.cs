namespace Mwap.FakeProviders.Tokens;

/// <summary>
/// One user consent for one client. Every token minted from it (the code exchange and all later refreshes) points
/// here, because the providers revoke per grant: Google's revoke of either token and Dropbox's token/revoke both
/// kill everything minted from the same consent.
/// </summary>
internal sealed class Grant(string id, string clientId, IReadOnlyList<string> scopes, bool usedPkce, DateTimeOffset createdAt)
{
    public string Id { get; } = id;
    public string ClientId { get; } = clientId;
    public IReadOnlyList<string> Scopes { get; } = scopes;
    public bool UsedPkce { get; } = usedPkce;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public bool Revoked { get; set; }
}

internal sealed class IssuedToken(string value, FakeTokenKind kind, Grant grant, DateTimeOffset issuedAt, DateTimeOffset? expiresAt)
{
    public string Value { get; } = value;
    public FakeTokenKind Kind { get; } = kind;
    public Grant Grant { get; } = grant;
    public DateTimeOffset IssuedAt { get; } = issuedAt;
    public DateTimeOffset? ExpiresAt { get; set; } = expiresAt;

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } at && at <= now;

    public FakeTokenInfo Snapshot(DateTimeOffset now) =>
        new(Value, Kind, Grant.Id, Grant.ClientId, Grant.Scopes, IssuedAt, ExpiresAt, Grant.Revoked, IsExpired(now));
}

/// <summary>What the authorize step remembered, so the token step can check the same client, redirect and verifier.</summary>
internal sealed record AuthorizationCode(
    string Value,
    string ClientId,
    string RedirectUri,
    string? CodeChallenge,
    string? CodeChallengeMethod,
    IReadOnlyList<string> Scopes,
    bool IssueRefreshToken,
    DateTimeOffset ExpiresAt)
{
    public bool Redeemed { get; set; }
}

internal enum TokenCheck
{
    Valid,
    Expired,
    Revoked,
    Unknown,
}
