namespace Mwap.Api.Features.Notifications;

internal static class NotificationsFeature
{
    /// <summary>Integration alerts: detection job, SMTP mailer (MailKit), settings and the alerts route.</summary>
    public static IServiceCollection AddNotificationsFeature(this IServiceCollection services)
    {
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AlertsOptions>().BindConfiguration(AlertsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AlertsJobOptions>().BindConfiguration(AlertsJobOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<IAlertMailer, SmtpAlertMailer>();
        services.AddScoped<IntegrationAlertsJob>();
        services.AddScoped<AlertQueries>();
        return services;
    }
}
