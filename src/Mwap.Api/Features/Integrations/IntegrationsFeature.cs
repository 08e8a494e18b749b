namespace Mwap.Api.Features.Integrations;

internal static class IntegrationsFeature
{
    /// <summary>Registers the integration service.</summary>
    public static IServiceCollection AddIntegrationsFeature(this IServiceCollection services) => services.AddScoped<IntegrationService>();
}
