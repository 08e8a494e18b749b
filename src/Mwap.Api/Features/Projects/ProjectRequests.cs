using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Projects;

/// <summary>
/// MWAP's create body (<c>folderpath</c>, <c>cloudIntegrationId</c>) with the guide's spellings accepted too. The
/// references may be left out where only one answer exists (<see cref="ProjectDefaults"/>).
/// </summary>
internal sealed record CreateProjectRequest : IRequestBody, IValidatableObject
{
    public string? TenantId { get; init; }

    public string? ProjectTypeId { get; init; }

    public string? CloudIntegrationId { get; init; }

    /// <summary>The guide's name for <see cref="CloudIntegrationId"/>.</summary>
    public string? IntegrationId { get; init; }

    /// <summary>Also accepts <c>folderPath</c> (property names match case-insensitively).</summary>
    [JsonPropertyName("folderpath")]
    [StringLength(1024, MinimumLength = 1)]
    public string? FolderPath { get; init; }

    [Required(ErrorMessage = "Required")]
    [SafeText(1, Project.NameMaxLength)]
    public string? Name { get; init; }

    [SafeText(0, 500)]
    public string? Description { get; init; }

    public bool? Archived { get; init; }

    public JsonElement? Config { get; init; }

    [MaxLength(1000)]
    public List<MemberInput>? Members { get; init; }

    /// <summary>Computed from the two spellings; not part of the request (kept out of the body and the OpenAPI schema).</summary>
    [JsonIgnore]
    public string? EffectiveIntegrationId => CloudIntegrationId ?? IntegrationId;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (value, name) in new[] { (TenantId, "TenantId"), (ProjectTypeId, "ProjectTypeId") })
        {
            if (value is not null && !ObjectId.IsValid(value))
            {
                yield return new ValidationResult("Must be a 24-character hexadecimal id", [name]);
            }
        }

        if (EffectiveIntegrationId is { } integration && !ObjectId.IsValid(integration))
        {
            yield return new ValidationResult("Must be a 24-character hexadecimal id", ["CloudIntegrationId"]);
        }

        if (CloudIntegrationId is not null && IntegrationId is not null && !string.Equals(CloudIntegrationId, IntegrationId, StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult("cloudIntegrationId and integrationId disagree", ["CloudIntegrationId"]);
        }

        foreach (var error in ProjectPaths.Check(FolderPath))
        {
            yield return error;
        }

        if (Config is { } config && config.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            yield return new ValidationResult("Must be an object", ["Config"]);
        }

        if (Members?.GroupBy(m => m.UserId, StringComparer.Ordinal).Any(g => g.Count() > 1) == true)
        {
            yield return new ValidationResult("A user may be listed only once", ["Members"]);
        }

        if (Members?.Any(m => m is null || string.IsNullOrWhiteSpace(m.UserId) || m.UserId.Length > 256 || !ProjectRoles.All.Contains(m.Role)) == true)
        {
            yield return new ValidationResult("Each member needs a userId and a role of OWNER, DEPUTY or MEMBER", ["Members"]);
        }
    }
}

internal sealed record MemberInput(string UserId, string Role);

internal sealed record UpdateProjectRequest : IRequestBody, IValidatableObject
{
    [SafeText(1, Project.NameMaxLength)]
    public string? Name { get; init; }

    [SafeText(0, 500)]
    public string? Description { get; init; }

    public bool? Archived { get; init; }

    public JsonElement? Config { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Config is { } config && config.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            yield return new ValidationResult("Must be an object", ["Config"]);
        }
    }
}

internal sealed record AddMemberRequest : IRequestBody
{
    [Required(ErrorMessage = "Required")]
    [StringLength(256, MinimumLength = 1)]
    public string? UserId { get; init; }

    [Required(ErrorMessage = "Required")]
    [RegularExpression("^(OWNER|DEPUTY|MEMBER)$", ErrorMessage = "Must be OWNER, DEPUTY or MEMBER")]
    public string? Role { get; init; }
}

internal sealed record UpdateMemberRequest : IRequestBody
{
    [Required(ErrorMessage = "Required")]
    [RegularExpression("^(OWNER|DEPUTY|MEMBER)$", ErrorMessage = "Must be OWNER, DEPUTY or MEMBER")]
    public string? Role { get; init; }
}

/// <summary>Folder paths: absolute, normalised, no <c>..</c> or <c>.</c> segments, no control characters.</summary>
internal static class ProjectPaths
{
    public static IEnumerable<ValidationResult> Check(string? path)
    {
        if (path is null)
        {
            yield break;
        }

        var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s is "." or "..") || path.Any(char.IsControl) || path.AsSpan().IndexOfAny('<', '>') >= 0)
        {
            yield return new ValidationResult("Must be a folder path without '.', '..', '<', '>' or control characters", ["FolderPath"]);
        }
    }

    /// <summary><c>Projects//Shoot1/</c> → <c>/Projects/Shoot1</c>.</summary>
    public static string Normalize(string path) =>
        "/" + string.Join('/', path.Trim().Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries));
}
