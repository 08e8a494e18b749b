using System.Globalization;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Files;

/// <summary><c>ExportMimeType</c>: a Google Docs-editor file downloads as this export ("" for a plain download).</summary>
internal sealed record DownloadGrant(string IntegrationId, string ProviderFileId, string Name, string MimeType, string ExportMimeType = "");

/// <summary>
/// Short-lived links to the server's own download proxy (Drive has no link usable without our bearer token). The link
/// carries an AES-GCM sealed grant (integration, file, expiry) under the platform's encryption keys, so any instance
/// can honour it and nobody can forge or alter one.
/// </summary>
internal sealed class DownloadTokens(ISecretProtector secrets, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private static readonly SecretContext Context = new("downloads", "proxy", "grant");

    public (string Token, DateTime ExpiresAt) Issue(string integrationId, VirtualFile file, string? exportMimeType = null, string? name = null)
    {
        var expires = time.GetUtcNow().UtcDateTime.Add(Lifetime);
        var payload = string.Join('\n', integrationId, file.ProviderFileId, expires.Ticks.ToString(CultureInfo.InvariantCulture),
            exportMimeType ?? file.MimeType, exportMimeType ?? "", name ?? file.Name);
        return (secrets.Protect(payload, Context), expires);
    }

    public DownloadGrant? Read(string token)
    {
        if (token.Length > 8000)
        {
            return null;
        }

        string payload;
        try
        {
            payload = secrets.Unprotect(token, Context);
        }
        catch (Exception e) when (e is SecretUnavailableException or FormatException or ArgumentException)
        {
            return null;
        }

        var parts = payload.Split('\n', 6);
        return parts.Length == 6 && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks > time.GetUtcNow().UtcDateTime.Ticks
            ? new DownloadGrant(parts[0], parts[1], parts[5], parts[3], parts[4])
            : null;
    }
}
