using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mwap.Api.Features.Integrations.Health;
using Mwap.Api.Features.Integrations.OAuth;
using Mwap.Api.Features.Integrations.Providers;
using Mwap.Api.Features.Integrations.Tokens;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Integrations;

internal static class IntegrationsFeature
{
    /// <summary>Integrations, the OAuth connect flow, the provider clients and the token/health jobs.</summary>
    public static IServiceCollection AddIntegrationsFeature(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OAuthOptions>().BindConfiguration(OAuthOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OAuthOptions>, OAuthOptionsValidator>();
        services.AddOptions<IntegrationJobsOptions>().BindConfiguration(IntegrationJobsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddCloudStorageClients(configuration);
        services.AddSingleton<OAuthKeys>();
        services.AddSingleton<OAuthPages>();
        services.TryAddSingleton<SealedCursors>();
        services.AddScoped<IntegrationService>();
        // Singletons: the tenant lists in memory, and the interceptor every pooled context gets (PersistenceSetup).
        services.AddSingleton<IntegrationReadCache>();
        services.AddSingleton<IntegrationChangesInterceptor>();
        services.AddScoped<IntegrationRevocation>();
        services.AddScoped<IntegrationOperations>();
        // Singleton: no state of its own; each lease operation opens its own scope.
        services.AddSingleton<IntegrationLeases>();
        services.AddScoped<TokenService>();
        services.AddScoped<IntegrationHealthService>();
        services.AddScoped<OAuthService>();
        services.AddScoped<OAuthCallbackFailureCounter>();
        services.AddScoped<TokenRefreshJob>();
        services.AddScoped<IntegrationHealthJob>();
        return services;
    }
}
