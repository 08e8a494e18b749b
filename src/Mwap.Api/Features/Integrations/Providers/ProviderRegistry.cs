using System.Text.Json;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Integrations.Dropbox;
using Mwap.Api.Features.Integrations.GoogleDrive;
using Mwap.Api.Features.Integrations.OneDrive;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Integrations.Providers;

/// <summary>Picks the client for a provider record and resolves its endpoints and secret. Singleton: stateless.</summary>
internal sealed class ProviderRegistry(IEnumerable<ICloudStorageClient> clients, ISecretProtector secrets)
{
    private readonly Dictionary<string, ICloudStorageClient> _clients = clients.ToDictionary(c => c.Kind, StringComparer.Ordinal);

    public ICloudStorageClient ClientFor(CloudProvider provider) =>
        _clients.GetValueOrDefault(KindOf(provider))
        ?? throw new ProviderException(ProviderErrorKind.NotSupported, 400, $"No client for provider '{provider.Slug}'");

    /// <summary>Decrypts the client secret (fails closed) and resolves the API base URLs, real ones by default.</summary>
    public ProviderConfig Configure(CloudProvider provider)
    {
        var metadata = Metadata(provider);
        var kind = KindOf(provider);
        var apiBase = metadata.GetValueOrDefault("apiBaseUrl") ?? kind switch
        {
            GoogleDriveClient.Slug => GoogleDriveClient.DefaultApiBaseUrl,
            DropboxClient.Slug => DropboxClient.DefaultApiBaseUrl,
            OneDriveClient.Slug => OneDriveClient.DefaultApiBaseUrl,
            _ => throw new ProviderException(ProviderErrorKind.NotSupported, 400, $"No client for provider '{provider.Slug}'"),
        };
        var revoke = metadata.GetValueOrDefault("revokeUrl")
            ?? (kind == GoogleDriveClient.Slug && provider.TokenUrl.EndsWith("/token", StringComparison.Ordinal) ? provider.TokenUrl[..^"/token".Length] + "/revoke" : null);
        var secret = secrets.Unprotect(provider.EncryptedClientSecret, provider.ClientSecretContext);
        var config = new ProviderConfig(provider, secret, apiBase, metadata.GetValueOrDefault("contentBaseUrl"), revoke);
        if (kind == OneDriveClient.Slug && metadata.GetValueOrDefault(MicrosoftTenant.MetadataKey) is { } tenant)
        {
            // Checked when the record is saved; a record written before that check fails closed here.
            if (!MicrosoftTenant.IsValid(tenant))
            {
                throw new ProviderException(ProviderErrorKind.NotSupported, 400, "The provider's metadata.tenant is not a valid Microsoft tenant");
            }

            config = config with { AuthUrl = MicrosoftTenant.Apply(provider.AuthUrl, tenant), TokenUrl = MicrosoftTenant.Apply(provider.TokenUrl, tenant) };
        }

        return config;
    }

    /// <summary>The slug decides; MWAP's <c>metadata.providerType</c> and the name are fallbacks for imported records.</summary>
    public static string KindOf(CloudProvider provider)
    {
        if (provider.Slug is GoogleDriveClient.Slug or DropboxClient.Slug or OneDriveClient.Slug)
        {
            return provider.Slug;
        }

        var hint = (Metadata(provider).GetValueOrDefault("providerType") ?? provider.Slug + " " + provider.Name).ToLowerInvariant();
        return hint.Contains("google", StringComparison.Ordinal) ? GoogleDriveClient.Slug
            : hint.Contains("dropbox", StringComparison.Ordinal) ? DropboxClient.Slug
            : hint.Contains("onedrive", StringComparison.Ordinal) || hint.Contains("microsoft", StringComparison.Ordinal) ? OneDriveClient.Slug
            : provider.Slug;
    }

    private static Dictionary<string, string> Metadata(CloudProvider provider)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (provider.Metadata is null)
        {
            return result;
        }

        using var json = JsonDocument.Parse(provider.Metadata);
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String)
            {
                result[property.Name] = property.Value.GetString()!;
            }
        }

        return result;
    }
}
