using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mwap.FakeProviders.Webhooks;

namespace Mwap.FakeProviders.Tests.Dropbox;

/// <summary>The fake's webhook: challenge on registration, then signed, coalesced notifications on changes.</summary>
public sealed class DropboxWebhookTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Body, string Signature)> _received = new();
    private FakeProviderServer _server = null!;
    private WebApplication _receiver = null!;
    private string _url = "";
    private bool _echo = true;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeProviderServer.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _receiver = builder.Build();
        _receiver.MapGet("/hook", (string challenge) => _echo ? Results.Text(challenge) : Results.Text("nope"));
        _receiver.MapPost("/hook", async (HttpContext context) =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            _received.Enqueue((body, context.Request.Headers["X-Dropbox-Signature"].ToString()));
            return Results.Ok();
        });
        await _receiver.StartAsync();
        _url = _receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task RegisteredUri_GetsASignedNotificationNamingTheAccount_AfterAChange()
    {
        var hook = _server.Dropbox.DropboxWebhook;
        Assert.True(await hook.RegisterAsync(_url));

        _server.Dropbox.Files.AddFile(_server.Dropbox.Files.Root, "new.txt");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (_received.IsEmpty)
        {
            await Task.Delay(20, timeout.Token);
        }

        Assert.True(_received.TryDequeue(out var notification));
        Assert.Contains(_server.Dropbox.Account.Id, notification.Body, StringComparison.Ordinal);
        Assert.Equal(DropboxWebhook.Sign(notification.Body, _server.Dropbox.ClientSecret), notification.Signature);
        Assert.Equal(64, notification.Signature.Length);
        Assert.NotEqual(DropboxWebhook.Sign(notification.Body, "another-secret"), notification.Signature);
    }

    [Fact]
    public async Task UriThatDoesNotEchoTheChallenge_IsNotRegistered_AndGetsNothing()
    {
        _echo = false;
        Assert.False(await _server.Dropbox.DropboxWebhook.RegisterAsync(_url));
        _server.Dropbox.Files.AddFile(_server.Dropbox.Files.Root, "new.txt");
        Assert.Equal(0, _server.Dropbox.DropboxWebhook.Delivered + _server.Dropbox.DropboxWebhook.Failed);
    }
}
