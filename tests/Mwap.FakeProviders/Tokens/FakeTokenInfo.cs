namespace Mwap.FakeProviders.Tokens;

public enum FakeTokenKind
{
    AccessToken,
    RefreshToken,
}

/// <summary>
/// A snapshot of one token the fake issued, for assertions such as "the refresh token rotated". Tokens from one
/// authorization (and its refreshes) share a <c>GrantId</c>; revocation kills a whole grant.
/// </summary>
public sealed record FakeTokenInfo(
    string Value,
    FakeTokenKind Kind,
    string GrantId,
    string ClientId,
    IReadOnlyList<string> Scopes,
    DateTimeOffset IssuedAt,
    DateTimeOffset? ExpiresAt,
    bool IsRevoked,
    bool IsExpired)
{
    public bool IsActive => !IsRevoked && !IsExpired;
}

/// <summary>Tokens handed out by <see cref="FakeProviderState.IssueTokens"/> without the browser dance.</summary>
public sealed record FakeIssuedTokens(string AccessToken, string? RefreshToken, IReadOnlyList<string> Scopes, TimeSpan ExpiresIn);
