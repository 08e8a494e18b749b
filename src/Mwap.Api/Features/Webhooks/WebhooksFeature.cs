namespace Mwap.Api.Features.Webhooks;

internal static class WebhooksFeature
{
    /// <summary>Provider change notifications turned into coalesced incremental syncs (on only with <c>Webhooks:PublicBaseUrl</c>).</summary>
    public static IServiceCollection AddWebhooksFeature(this IServiceCollection services)
    {
        services.AddOptions<WebhooksOptions>().BindConfiguration(WebhooksOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<WebhookSyncTrigger>();
        services.AddSingleton<ProviderChannels>(); // stateless apart from the HTTP client factory
        services.AddScoped<ChangeSubscriptionService>();
        services.AddScoped<ChangeSubscriptionJob>();
        return services;
    }

    /// <summary>Anonymous by nature: each route authenticates the provider by signature or shared secret.</summary>
    public static RouteGroupBuilder MapWebhooksEndpoints(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks").AllowAnonymous();
        webhooks.MapDropboxWebhook();
        webhooks.MapMicrosoftWebhook();
        webhooks.MapGoogleWebhook();
        return api;
    }
}
