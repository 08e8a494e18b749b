namespace Mwap.Api.Features.ProjectTypes;

internal static class ProjectTypesFeature
{
    /// <summary>Registers the project type service.</summary>
    public static IServiceCollection AddProjectTypesFeature(this IServiceCollection services) => services.AddScoped<ProjectTypeService>();
}
