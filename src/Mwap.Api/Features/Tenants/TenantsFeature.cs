namespace Mwap.Api.Features.Tenants;

internal static class TenantsFeature
{
    /// <summary>Registers the tenant service.</summary>
    public static IServiceCollection AddTenantsFeature(this IServiceCollection services) =>
        services.AddScoped<TenantService>();
}
