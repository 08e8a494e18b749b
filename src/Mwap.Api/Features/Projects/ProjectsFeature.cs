using Mwap.Api.Features.Members;

namespace Mwap.Api.Features.Projects;

internal static class ProjectsFeature
{
    /// <summary>Registers projects, members and their options.</summary>
    public static IServiceCollection AddProjectsFeature(this IServiceCollection services)
    {
        services.AddOptions<ProjectsOptions>().BindConfiguration(ProjectsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ProjectReadCache>();
        services.AddSingleton<ProjectEditQueue>();
        services.AddScoped<ProjectService>();
        services.AddScoped<MemberService>();
        return services;
    }
}
