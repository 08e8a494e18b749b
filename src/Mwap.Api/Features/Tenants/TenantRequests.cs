using System.ComponentModel.DataAnnotations;
using Mwap.Api.Infrastructure.Http;

namespace Mwap.Api.Features.Tenants;

internal sealed record CreateTenantRequest : IRequestBody
{
    [Required(ErrorMessage = "Required")]
    [SafeText(Tenant.NameMinLength, Tenant.NameMaxLength)]
    public string? Name { get; init; }

    [SafeText(0, Tenant.DescriptionMaxLength)]
    public string? Description { get; init; }

    public TenantSettingsInput? Settings { get; init; }
}

internal sealed record UpdateTenantRequest : IRequestBody
{
    [SafeText(Tenant.NameMinLength, Tenant.NameMaxLength)]
    public string? Name { get; init; }

    [SafeText(0, Tenant.DescriptionMaxLength)]
    public string? Description { get; init; }

    public TenantSettingsInput? Settings { get; init; }

    public bool? Archived { get; init; }
}

/// <summary>Settings in a request: every field optional, merged field by field into what is stored.</summary>
internal sealed record TenantSettingsInput : IRequestBody
{
    public bool? AllowPublicProjects { get; init; }

    [Range(1, 100, ErrorMessage = "Must be between 1 and 100")]
    public int? MaxProjects { get; init; }

    [Range(1, 3650, ErrorMessage = "Must be between 1 and 3650")]
    public int? RetentionDays { get; init; }

    public TenantFeaturesInput? Features { get; init; }

    public void ApplyTo(TenantSettings settings)
    {
        settings.AllowPublicProjects = AllowPublicProjects ?? settings.AllowPublicProjects;
        settings.MaxProjects = MaxProjects ?? settings.MaxProjects;
        settings.RetentionDays = RetentionDays ?? settings.RetentionDays;
        if (Features is { } f)
        {
            settings.Features.CloudIntegrations = f.CloudIntegrations ?? settings.Features.CloudIntegrations;
            settings.Features.AdvancedSecurity = f.AdvancedSecurity ?? settings.Features.AdvancedSecurity;
            settings.Features.CustomBranding = f.CustomBranding ?? settings.Features.CustomBranding;
        }
    }
}

internal sealed record TenantFeaturesInput : IRequestBody
{
    public bool? CloudIntegrations { get; init; }
    public bool? AdvancedSecurity { get; init; }
    public bool? CustomBranding { get; init; }
}
