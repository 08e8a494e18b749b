namespace Mwap.Api.Features.AuditLog;

internal static class AuditLogFeature
{
    /// <summary>Registers the audit writer, its options and the retention job.</summary>
    public static IServiceCollection AddAuditLogFeature(this IServiceCollection services)
    {
        services.AddOptions<AuditLogOptions>().BindConfiguration(AuditLogOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<IAuditLog, AuditLog>();
        services.AddScoped<AuditLogRetentionJob>();
        services.AddSingleton<AuditLogArchive>();
        services.AddScoped<AuditLogQueries>();
        return services;
    }
}
