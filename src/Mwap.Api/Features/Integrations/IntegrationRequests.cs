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

/// <summary>
/// PATCH cannot write tokens or flow state: those fields are not declared here, so they are dropped (and named in
/// <c>Mwap-Ignored-Fields</c>). <c>status</c> is MWAP's Activate/Deactivate: <c>active</c>, <c>inactive</c> or
/// <c>revoked</c> (both deactivate); <c>expired</c>, <c>error</c> and <c>pending</c> belong to the server.
/// </summary>
internal sealed record UpdateIntegrationRequest : IRequestBody, IValidatableObject
{
    public static readonly string[] SettableStatuses = [IntegrationStatus.Active, IntegrationStatus.Inactive, IntegrationStatus.Revoked];

    public string? Status { get; init; }

    public JsonElement? Metadata { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Status is not null && !SettableStatuses.Contains(Status, StringComparer.Ordinal))
        {
            yield return new ValidationResult(
                $"Must be one of {string.Join(", ", SettableStatuses)}; expired, error and pending are set by the server", ["Status"]);
        }

        foreach (var error in IntegrationRules.CheckMetadata(Metadata))
        {
            yield return error;
        }
    }
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
