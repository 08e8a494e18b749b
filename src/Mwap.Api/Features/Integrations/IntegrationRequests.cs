using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Integrations;

internal sealed record CreateIntegrationRequest : IRequestBody, IValidatableObject
{
    [Required(ErrorMessage = "Required")]
    public string? ProviderId { get; init; }

    public JsonElement? Metadata { get; init; }

    /// <summary>Accepted for MWAP clients, which send it, but ignored: an integration becomes active only through the OAuth flow.</summary>
    [RegularExpression("^(active|pending|inactive|expired|revoked|error)$", ErrorMessage = "Unknown status")]
    public string? Status { get; init; }

    /// <summary>Accepted for MWAP clients but ignored: granted scopes come from the provider's token response.</summary>
    [MaxLength(100)]
    public List<string>? ScopesGranted { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ProviderId is not null && !ObjectId.IsValid(ProviderId))
        {
            yield return new ValidationResult("Must be a 24-character hexadecimal id", ["ProviderId"]);
        }

        foreach (var error in IntegrationRules.CheckMetadata(Metadata))
        {
            yield return error;
        }
    }
}

/// <summary>PATCH cannot write tokens or flow state: those fields do not exist here, so sending them is refused.</summary>
internal sealed record UpdateIntegrationRequest : IRequestBody, IValidatableObject
{
    [RegularExpression("^(active|inactive)$", ErrorMessage = "Only active or inactive can be set")]
    public string? Status { get; init; }

    public JsonElement? Metadata { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => IntegrationRules.CheckMetadata(Metadata);
}

internal static class IntegrationRules
{
    public static IEnumerable<ValidationResult> CheckMetadata(JsonElement? metadata)
    {
        if (metadata is { } m && m.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            yield return new ValidationResult("Must be an object", ["Metadata"]);
        }
        else if (metadata is { ValueKind: JsonValueKind.Object } o && o.GetRawText().Length > 16_000)
        {
            yield return new ValidationResult("Must be at most 16000 characters of JSON", ["Metadata"]);
        }
    }
}
