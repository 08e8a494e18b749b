namespace Mwap.Api.Infrastructure.Security;

/// <summary>Builds the key ring and the OAuth state key when the host starts, so a missing or malformed key stops the server at once, naming the setting.</summary>
internal sealed class SecretProtectorStartupCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<SecretProtector>();
        _ = services.GetRequiredService<Features.Integrations.OAuth.OAuthKeys>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
