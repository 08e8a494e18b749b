namespace Mwap.Api.Features.CloudProviders;

internal static class CloudProvidersFeature
{
    /// <summary>Registers the provider catalogue service and its options.</summary>
    public static IServiceCollection AddCloudProvidersFeature(this IServiceCollection services)
    {
        services.AddOptions<CloudProvidersOptions>().BindConfiguration(CloudProvidersOptions.SectionName);
        services.AddScoped<CloudProviderService>();
        return services;
    }
}
