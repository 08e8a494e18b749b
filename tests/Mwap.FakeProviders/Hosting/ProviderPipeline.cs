namespace Mwap.FakeProviders.Hosting;

/// <summary>
/// Runs before routing for every provider request: counts it by real path, waits the configured latency (and any
/// hold a test placed on it), and answers with a queued fault instead of the endpoint when one matches.
/// </summary>
internal static class ProviderPipeline
{
    public static void UseProviderPipeline(this WebApplication app, Func<FakeProvider, FakeProviderState> providers, bool logRequests)
    {
        app.Use(async (context, next) =>
        {
            if (!ProviderPaths.TryResolve(context.Request.Path, out var owner, out var realPath))
            {
                await next(context);
                return;
            }

            var provider = providers(owner);
            provider.CountRequest(realPath);
            if (provider.Latency > TimeSpan.Zero)
            {
                await Task.Delay(provider.Latency, context.RequestAborted);
            }

            await provider.WaitIfHeldAsync(realPath, context.RequestAborted);
            var fault = provider.Faults.TryTake(realPath, context.Request.Path.Value ?? "");
            if (fault is not null)
            {
                KeyValuePair<string, string>[] headers = fault.RetryAfterSeconds is { } seconds
                    ? [FakeResult.Header("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture))]
                    : [];
                await FakeResult.Raw(fault.Status, fault.Body, fault.ContentType, headers).ExecuteAsync(context);
            }
            else
            {
                await next(context);
            }

            if (logRequests)
            {
                Console.WriteLine($"{owner,-9} {context.Request.Method,-4} {context.Request.Path}{context.Request.QueryString} -> {context.Response.StatusCode}{(fault is null ? "" : " (injected)")}");
            }
        });
    }
}
