using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Mwap.Api.Features.Integrations.Dropbox;
using Mwap.Api.Features.Integrations.GoogleDrive;
using Mwap.Api.Features.Integrations.OneDrive;
using Polly;

namespace Mwap.Api.Features.Integrations.Providers;

/// <summary>Outbound HTTP to providers (<c>Providers:*</c>).</summary>
internal sealed class ProvidersOptions
{
    public const string SectionName = "Providers";

    /// <summary>Retries after a 429, a 5xx or Drive's 403 rate-limit reasons (default 3); <c>Retry-After</c> is honoured.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First backoff delay in milliseconds when the provider gives no <c>Retry-After</c> (default 500; jittered, exponential).</summary>
    [Range(1, 60_000)]
    public int RetryBaseDelayMilliseconds { get; set; } = 500;

    /// <summary>Timeout of one attempt, in seconds (default 30).</summary>
    [Range(1, 300)]
    public int AttemptTimeoutSeconds { get; set; } = 30;
}

internal static class ProvidersSetup
{
    /// <summary>The three provider clients and their resilient HTTP client.</summary>
    public static IServiceCollection AddCloudStorageClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProvidersOptions>().BindConfiguration(ProvidersOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(ProvidersOptions.SectionName).Get<ProvidersOptions>() ?? new ProvidersOptions();
        services.AddHttpClient(OAuthHttp.ClientName, http =>
            {
                http.DefaultRequestHeaders.UserAgent.ParseAdd("MWAP-dotnet/1.0");
                http.Timeout = Timeout.InfiniteTimeSpan; // the pipeline below owns timeouts
            })
            .AddResilienceHandler("provider", pipeline =>
            {
                pipeline.AddTimeout(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds * (options.MaxRetries + 2)));
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(options.RetryBaseDelayMilliseconds),
                    MaxDelay = TimeSpan.FromSeconds(60),
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => options.MaxRetries == 0 ? ValueTask.FromResult(false) : ShouldRetryAsync(args.Outcome, args.Context.GetRequestMessage()),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds));
            });
        services.AddHttpClient(OAuthHttp.ExchangeClientName, http =>
            {
                http.DefaultRequestHeaders.UserAgent.ParseAdd("MWAP-dotnet/1.0");
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddResilienceHandler("provider-exchange", pipeline => pipeline.AddTimeout(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds)));
        services.AddSingleton<ICloudStorageClient, GoogleDriveClient>();
        services.AddSingleton<ICloudStorageClient, DropboxClient>();
        services.AddSingleton<ICloudStorageClient, OneDriveClient>();
        services.AddSingleton<ProviderRegistry>();
        return services;
    }

    /// <summary>429, 5xx, network failures and Drive's 403 rate-limit reasons are transient; everything else is final.</summary>
    private static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request)
    {
        if (outcome.Exception is Polly.Timeout.TimeoutRejectedException)
        {
            // A timed-out call the provider may still be running is not sent again at once (Dropbox answers a
            // simultaneous identical list_folder with 429 too_many_requests): its caller falls back instead.
            return request?.Options.TryGetValue(OAuthHttp.NoRetryOnTimeout, out var noRetry) != true || !noRetry;
        }

        if (outcome.Exception is HttpRequestException)
        {
            return true;
        }

        if (outcome.Result is not { } response)
        {
            return false;
        }

        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
        {
            return true;
        }

        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            await response.Content.LoadIntoBufferAsync();
            var body = await response.Content.ReadAsStringAsync();
            return body.Contains("userRateLimitExceeded", StringComparison.Ordinal) || body.Contains("\"rateLimitExceeded\"", StringComparison.Ordinal);
        }

        return false;
    }
}
