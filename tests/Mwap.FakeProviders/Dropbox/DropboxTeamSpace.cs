namespace Mwap.FakeProviders.Dropbox;

/// <summary>
/// A Dropbox team space: the account's root namespace is the team's, holding team folders and the member's home
/// folder (<see cref="HomePath"/>). Calls without <c>Dropbox-API-Path-Root</c> see only the home namespace, with paths
/// relative to it; with <c>{".tag":"root","root":"&lt;root_namespace_id&gt;"}</c> they see the whole team root
/// (https://developers.dropbox.com/dbx-team-files-guide, and the <c>PathRoot</c> union of the API spec).
/// </summary>
/// <param name="homePath">The member's home folder under the team root, e.g. "/Alice Fake" (created on first use).</param>
public sealed class DropboxTeamSpace(string homePath)
{
    public string HomePath { get; } = homePath;

    /// <summary>Change it to imitate a team whose root moved: a stale header then gets 422 <c>invalid_root</c>.</summary>
    public string RootNamespaceId { get; set; } = "7766554433";

    public string HomeNamespaceId { get; set; } = DropboxView.UserNamespaceId;
}
