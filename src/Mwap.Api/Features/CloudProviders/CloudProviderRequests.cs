using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Mwap.Api.Infrastructure.Http;

namespace Mwap.Api.Features.CloudProviders;

internal sealed record CreateCloudProviderRequest : IRequestBody, IValidatableObject
{
    [Required(ErrorMessage = "Required")]
    [SafeText(3, 50)]
    public string? Name { get; init; }

    [SafeText(3, 50)]
    public string? DisplayName { get; init; }

    [Required(ErrorMessage = "Required")]
    [RegularExpression("^[a-z0-9-]{2,20}$", ErrorMessage = "Must be 2–20 characters of a-z, 0-9 and '-'")]
    public string? Slug { get; init; }

    [Required(ErrorMessage = "Required")]
    [MaxLength(50, ErrorMessage = "At most 50 scopes")]
    public List<string>? Scopes { get; init; }

    [Required(ErrorMessage = "Required")]
    [StringLength(2048)]
    public string? AuthUrl { get; init; }

    [Required(ErrorMessage = "Required")]
    [StringLength(2048)]
    public string? TokenUrl { get; init; }

    [Required(ErrorMessage = "Required")]
    [StringLength(500, MinimumLength = 1)]
    public string? ClientId { get; init; }

    [Required(ErrorMessage = "Required")]
    [StringLength(2000, MinimumLength = 1)]
    public string? ClientSecret { get; init; }

    [RegularExpression("^(authorization_code|client_credentials)$", ErrorMessage = "Must be authorization_code or client_credentials")]
    public string? GrantType { get; init; }

    [RegularExpression("^(POST|GET)$", ErrorMessage = "Must be POST or GET")]
    public string? TokenMethod { get; init; }

    public JsonElement? Metadata { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        CloudProviderRules.ValidateShared(Scopes, Metadata);
}

internal sealed record UpdateCloudProviderRequest : IRequestBody, IValidatableObject
{
    [SafeText(3, 50)]
    public string? Name { get; init; }

    [SafeText(3, 50)]
    public string? DisplayName { get; init; }

    [RegularExpression("^[a-z0-9-]{2,20}$", ErrorMessage = "Must be 2–20 characters of a-z, 0-9 and '-'")]
    public string? Slug { get; init; }

    [MaxLength(50, ErrorMessage = "At most 50 scopes")]
    public List<string>? Scopes { get; init; }

    [StringLength(2048)]
    public string? AuthUrl { get; init; }

    [StringLength(2048)]
    public string? TokenUrl { get; init; }

    [StringLength(500, MinimumLength = 1)]
    public string? ClientId { get; init; }

    [StringLength(2000, MinimumLength = 1)]
    public string? ClientSecret { get; init; }

    [RegularExpression("^(authorization_code|client_credentials)$", ErrorMessage = "Must be authorization_code or client_credentials")]
    public string? GrantType { get; init; }

    [RegularExpression("^(POST|GET)$", ErrorMessage = "Must be POST or GET")]
    public string? TokenMethod { get; init; }

    public JsonElement? Metadata { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        CloudProviderRules.ValidateShared(Scopes, Metadata);
}

internal static class CloudProviderRules
{
    public static IEnumerable<ValidationResult> ValidateShared(List<string>? scopes, JsonElement? metadata)
    {
        if (scopes is not null && scopes.Any(s => string.IsNullOrWhiteSpace(s) || s.Length > 300 || s.Any(char.IsWhiteSpace)))
        {
            yield return new ValidationResult("Each scope must be a non-empty string without spaces", ["Scopes"]);
        }

        if (metadata is { } m && m.ValueKind != JsonValueKind.Object && m.ValueKind != JsonValueKind.Null)
        {
            yield return new ValidationResult("Must be an object", ["Metadata"]);
        }

        if (metadata is { ValueKind: JsonValueKind.Object } o && o.GetRawText().Length > 16_000)
        {
            yield return new ValidationResult("Must be at most 16000 characters of JSON", ["Metadata"]);
        }
    }

    /// <summary>Authorize and token endpoints must be absolute https URLs; plain http only when <c>CloudProviders:AllowInsecureUrls</c>.</summary>
    public static string? CheckUrl(string url, bool allowInsecure) =>
        !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || !string.IsNullOrEmpty(uri.UserInfo)
            ? "Must be an absolute URL"
            : uri.Scheme == Uri.UriSchemeHttps || (allowInsecure && uri.Scheme == Uri.UriSchemeHttp)
                ? null
                : allowInsecure ? "Must be an http or https URL" : "Must be an https URL";
}
