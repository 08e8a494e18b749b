namespace Mwap.FakeProviders;

/// <summary>Why a refresh is refused although the refresh token itself is valid (see <see cref="FakeProviderState.RefreshFailure"/>).</summary>
public enum FakeRefreshFailure
{
    InteractionRequired,
    ConsentRequired,
    PasswordChanged,
    Inactive,
}
