using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.CloudProviders;

/// <summary>An OAuth application registered with a storage provider (admin catalogue). Its client secret is stored encrypted.</summary>
internal sealed class CloudProvider : IHasTimestamps, IVersioned
{
    public const string TableName = "cloud_providers";
    public const string ClientSecretField = "client_secret";

    public string Id { get; init; } = null!;
    public string Name { get; set; } = null!;
    public string? DisplayName { get; set; }

    /// <summary><c>google-drive</c>, <c>dropbox</c>, <c>onedrive</c>, …: selects the client implementation.</summary>
    public string Slug { get; set; } = null!;

    public List<string> Scopes { get; set; } = [];
    public string AuthUrl { get; set; } = null!;
    public string TokenUrl { get; set; } = null!;
    public string ClientId { get; set; } = null!;

    /// <summary>Ciphertext from the secret protector, bound to this row; never returned.</summary>
    public string EncryptedClientSecret { get; set; } = null!;

    public string GrantType { get; set; } = "authorization_code";
    public string TokenMethod { get; set; } = "POST";

    /// <summary>Free JSON object (e.g. <c>apiBaseUrl</c>, <c>contentBaseUrl</c> overrides), stored as text.</summary>
    public string? Metadata { get; set; }

    public string CreatedBy { get; init; } = null!;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }

    public Infrastructure.Security.SecretContext ClientSecretContext => new(TableName, Id, ClientSecretField);
}
