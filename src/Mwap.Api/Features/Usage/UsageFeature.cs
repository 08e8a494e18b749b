namespace Mwap.Api.Features.Usage;

internal static class UsageFeature
{
    /// <summary>Usage aggregation: the recurring roll-up job, its schedule and the usage route's queries.</summary>
    public static IServiceCollection AddUsageFeature(this IServiceCollection services)
    {
        services.AddOptions<UsageJobOptions>().BindConfiguration(UsageJobOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<UsageAggregationJob>();
        services.AddScoped<UsageQueries>();
        return services;
    }
}
