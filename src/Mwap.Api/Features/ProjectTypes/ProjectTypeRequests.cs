using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Mwap.Api.Infrastructure.Http;

namespace Mwap.Api.Features.ProjectTypes;

internal sealed record CreateProjectTypeRequest : IRequestBody, IValidatableObject
{
    [Required(ErrorMessage = "Required")]
    [SafeText(3, 50)]
    public string? Name { get; init; }

    [Required(AllowEmptyStrings = true, ErrorMessage = "Required")]
    [SafeText(0, 500)]
    public string? Description { get; init; }

    [Required(ErrorMessage = "Required")]
    public JsonElement? ConfigSchema { get; init; }

    [Required(ErrorMessage = "Required")]
    public bool? IsActive { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => ConfigSchemas.Check(ConfigSchema);
}

/// <summary>PATCH: <c>configSchema</c> may change (MWAP dropped it silently); <c>_id</c>, <c>createdBy</c> and dates are unknown fields, refused.</summary>
internal sealed record UpdateProjectTypeRequest : IRequestBody, IValidatableObject
{
    [SafeText(3, 50)]
    public string? Name { get; init; }

    [SafeText(0, 500)]
    public string? Description { get; init; }

    public JsonElement? ConfigSchema { get; init; }

    public bool? IsActive { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => ConfigSchemas.Check(ConfigSchema);
}
