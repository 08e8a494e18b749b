using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mwap.FakeProviders.Tests;

/// <summary>A local listener standing in for our server's webhook route: records every POST (query, headers, body).</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Query, IReadOnlyDictionary<string, string> Headers, string Body)> Received { get; } = new();

    /// <summary>What the validation request gets back: by default the decoded validationToken, as text/plain.</summary>
    public Func<string, IResult> Validation { get; set; } = token => Results.Text(token, "text/plain");

    public string Url { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new WebhookReceiver(builder.Build());
        receiver._app.MapPost("/hook", async (HttpContext context) =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            receiver.Received.Enqueue((context.Request.QueryString.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
            return context.Request.Query["validationToken"].ToString() is { Length: > 0 } token ? receiver.Validation(token) : Results.Accepted();
        });
        await receiver._app.StartAsync();
        receiver.Url = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
        return receiver;
    }

    /// <summary>Waits (up to 10 s) until <paramref name="count"/> requests have arrived.</summary>
    public async Task WaitForAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Received.Count < count)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
