using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mwap.Api.Features.CloudProviders;

/// <summary>A provider as clients see it: the client secret is always <c>[REDACTED]</c>, in every response.</summary>
internal sealed record CloudProviderResponse(
    [property: JsonPropertyName("_id")] string Id,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DisplayName,
    string Slug,
    IReadOnlyList<string> Scopes,
    string AuthUrl,
    string TokenUrl,
    string ClientId,
    string ClientSecret,
    string GrantType,
    string TokenMethod,
    JsonElement? Metadata,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string CreatedBy)
{
    public const string Redacted = "[REDACTED]";

    public static CloudProviderResponse From(CloudProvider p) => new(
        p.Id, p.Name, p.DisplayName, p.Slug, p.Scopes, p.AuthUrl, p.TokenUrl, p.ClientId, Redacted, p.GrantType, p.TokenMethod,
        p.Metadata is null ? null : JsonDocument.Parse(p.Metadata).RootElement.Clone(), p.CreatedAt, p.UpdatedAt, p.CreatedBy);
}
