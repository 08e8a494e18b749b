namespace Mwap.Api.Features.CloudProviders;

/// <summary>The three providers MWAP supports, with their real endpoints and read-only scopes (provider-facts.md §1–§3).</summary>
internal sealed record StandardProvider(string Slug, string Name, string DisplayName, string AuthUrl, string TokenUrl,
    IReadOnlyList<string> Scopes, string EnvironmentPrefix);

internal static class StandardProviders
{
    public static readonly IReadOnlyList<StandardProvider> All =
    [
        new("google-drive", "Google Drive", "Google Drive",
            "https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token",
            ["https://www.googleapis.com/auth/drive.readonly", "openid", "email", "profile"], "GOOGLE"),
        new("dropbox", "Dropbox", "Dropbox",
            "https://www.dropbox.com/oauth2/authorize", "https://api.dropboxapi.com/oauth2/token",
            ["files.metadata.read", "files.content.read", "account_info.read"], "DROPBOX"),
        new("onedrive", "OneDrive", "Microsoft OneDrive",
            "https://login.microsoftonline.com/common/oauth2/v2.0/authorize", "https://login.microsoftonline.com/common/oauth2/v2.0/token",
            ["Files.Read", "User.Read", "offline_access"], "MICROSOFT"),
    ];
}

internal enum SeedResult
{
    Created,
    Exists,
    MissingCredentials,
}

/// <summary>What <c>providers seed</c> did with one standard provider.</summary>
internal sealed record SeedOutcome(string Slug, SeedResult Result, string Description);
