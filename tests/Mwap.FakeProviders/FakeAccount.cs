namespace Mwap.FakeProviders;

/// <summary>The one user who is signed in at a fake provider and consents to every authorization.</summary>
/// <param name="Id">Stable account id: Drive <c>permissionId</c>, Dropbox <c>account_id</c>, Graph user <c>id</c>.</param>
/// <param name="Email">Sign-in address.</param>
/// <param name="DisplayName">Full name as the provider shows it.</param>
/// <param name="HidesMail">
/// Graph only: personal Microsoft accounts often answer <c>mail: null</c>, so clients must fall back to
/// <c>userPrincipalName</c>. Set this to exercise that fallback.
/// </param>
public sealed record FakeAccount(string Id, string Email, string DisplayName, bool HidesMail = false)
{
    public string GivenName => DisplayName.Split(' ', 2)[0];

    public string Surname => DisplayName.Split(' ', 2) is [_, var rest] ? rest : "";
}
