namespace Mwap.WebConsole.Services;

public sealed record ProviderTemplate(string Name, string Slug, string AuthUrl, string TokenUrl, IReadOnlyList<string> Scopes);

/// <summary>The real endpoints and scopes of the three providers (spec/provider-facts.md); the superadmin adds the client.</summary>
public static class ProviderTemplates
{
    public static readonly IReadOnlyList<ProviderTemplate> All =
    [
        new("Google Drive", "google-drive", "https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token",
            ["https://www.googleapis.com/auth/drive.readonly", "openid", "email", "profile"]),
        new("Dropbox", "dropbox", "https://www.dropbox.com/oauth2/authorize", "https://api.dropboxapi.com/oauth2/token",
            ["files.metadata.read", "files.content.read", "account_info.read"]),
        new("OneDrive", "onedrive", "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
            "https://login.microsoftonline.com/common/oauth2/v2.0/token", ["Files.Read", "User.Read", "offline_access"]),
    ];
}
