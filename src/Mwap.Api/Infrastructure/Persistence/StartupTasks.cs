using Mwap.Api.Features.SuperAdmins;

namespace Mwap.Api.Infrastructure.Persistence;

/// <summary>
/// Prepares the database when the host starts, before the server listens and before jobs run: applies pending
/// migrations (when <c>Database:MigrateOnStartup</c>) and seeds superadmins from <c>Auth:SuperAdmins</c>.
/// Registered ahead of every other hosted service so they all see the current schema.
/// </summary>
internal sealed class DatabaseStartupService(IServiceProvider services) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.MigrateOnStartup())
        {
            await services.MigrateDatabaseAsync(cancellationToken);
        }

        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SuperAdminRegistry>().SeedFromConfigurationAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
