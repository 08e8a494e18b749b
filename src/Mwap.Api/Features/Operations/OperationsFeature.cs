namespace Mwap.Api.Features.Operations;

internal static class OperationsFeature
{
    /// <summary>Monitoring reports, the jobs API and dashboard access, and the maintenance job.</summary>
    public static IServiceCollection AddOperationsFeature(this IServiceCollection services)
    {
        services.AddScoped<DatabaseMonitor>();
        services.AddScoped<IntegrationMonitor>();
        services.AddScoped<JobsMonitor>();
        services.AddScoped<MaintenanceJob>();
        services.AddSingleton<DashboardAccess>();
        return services;
    }
}
