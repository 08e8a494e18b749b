namespace Mwap.FakeProviders.Tokens;

/// <summary>Codes, grants and tokens of one provider. One lock: requests are few and tests need exact answers.</summary>
internal sealed class TokenStore(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private readonly List<IssuedToken> _inOrder = [];
    private readonly HashSet<string> _consentedClients = new(StringComparer.Ordinal);
    private int _grantCount;

    public DateTimeOffset Now => time.GetUtcNow();

    public void AddCode(AuthorizationCode code)
    {
        lock (_gate)
        {
            _codes[code.Value] = code;
        }
    }

    /// <summary>Marks the code used; a second redemption is refused, as all three providers do.</summary>
    public TokenCheck Redeem(string value, out AuthorizationCode? code)
    {
        lock (_gate)
        {
            if (!_codes.TryGetValue(value, out code))
            {
                return TokenCheck.Unknown;
            }

            if (code.Redeemed)
            {
                return TokenCheck.Revoked;
            }

            code.Redeemed = true;
            return code.ExpiresAt <= Now ? TokenCheck.Expired : TokenCheck.Valid;
        }
    }

    public Grant NewGrant(string clientId, IReadOnlyList<string> scopes, bool usedPkce)
    {
        lock (_gate)
        {
            return new Grant($"grant-{++_grantCount}", clientId, scopes, usedPkce, Now);
        }
    }

    public IssuedToken Issue(Grant grant, FakeTokenKind kind, string value, TimeSpan? lifetime)
    {
        var now = Now;
        var token = new IssuedToken(value, kind, grant, now, lifetime is { } l ? now + l : null);
        lock (_gate)
        {
            _tokens[value] = token;
            _inOrder.Add(token);
        }

        return token;
    }

    public TokenCheck Check(string? value, FakeTokenKind kind, out IssuedToken? token)
    {
        lock (_gate)
        {
            if (value is null || !_tokens.TryGetValue(value, out token) || token.Kind != kind)
            {
                token = null;
                return TokenCheck.Unknown;
            }

            return token.Grant.Revoked ? TokenCheck.Revoked : token.IsExpired(Now) ? TokenCheck.Expired : TokenCheck.Valid;
        }
    }

    /// <summary>Revokes the grant behind an access or refresh token; false when it was unknown or already dead.</summary>
    public bool RevokeGrantOf(string value, bool allowExpired)
    {
        lock (_gate)
        {
            if (!_tokens.TryGetValue(value, out var token) || token.Grant.Revoked || (!allowExpired && token.IsExpired(Now)))
            {
                return false;
            }

            token.Grant.Revoked = true;
            _consentedClients.Remove(token.Grant.ClientId);
            return true;
        }
    }

    public void RevokeAll()
    {
        lock (_gate)
        {
            foreach (var token in _inOrder)
            {
                token.Grant.Revoked = true;
            }

            _consentedClients.Clear();
        }
    }

    public void ExpireAccessTokens()
    {
        lock (_gate)
        {
            var past = Now.AddSeconds(-1);
            foreach (var token in _inOrder.Where(t => t.Kind == FakeTokenKind.AccessToken && !t.IsExpired(Now)))
            {
                token.ExpiresAt = past;
            }
        }
    }

    /// <summary>Google keeps at most 100 live refresh tokens per account and client; the oldest die silently.</summary>
    public void EnforceRefreshTokenLimit(string clientId, int max)
    {
        lock (_gate)
        {
            var live = _inOrder
                .Where(t => t.Kind == FakeTokenKind.RefreshToken && t.Grant.ClientId == clientId && !t.Grant.Revoked)
                .ToList();
            foreach (var token in live.Take(Math.Max(0, live.Count - max)))
            {
                token.Grant.Revoked = true;
            }
        }
    }

    /// <summary>
    /// Google shows the consent screen (and so issues a refresh token) only the first time, unless prompt=consent.
    /// Returns whether consent had been given before, and records it now.
    /// </summary>
    public bool RecordConsent(string clientId)
    {
        lock (_gate)
        {
            return !_consentedClients.Add(clientId);
        }
    }

    public IReadOnlyList<FakeTokenInfo> Snapshot()
    {
        var now = Now;
        lock (_gate)
        {
            return [.. _inOrder.Select(t => t.Snapshot(now))];
        }
    }

    public FakeTokenInfo? Find(string value)
    {
        lock (_gate)
        {
            return _tokens.TryGetValue(value, out var token) ? token.Snapshot(Now) : null;
        }
    }
}
