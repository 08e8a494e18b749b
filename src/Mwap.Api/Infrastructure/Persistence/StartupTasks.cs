using Mwap.Api.Features.SuperAdmins;

namespace Mwap.Api.Infrastructure.Persistence;

/// <summary>
/// Prepares the database when the host starts, before the server listens and before jobs run: applies pending
/// migrations (when <c>Database:MigrateOnStartup</c>) and seeds superadmins from <c>Auth:SuperAdmins</c>.
/// Registered ahead of every other hosted service so they all see the current schema.
/// </summary>
internal sealed partial class DatabaseStartupService(IServiceProvider services, ILogger<DatabaseStartupService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        if (services.MigrateOnStartup())
        {
            await services.MigrateDatabaseAsync(cancellationToken);
            // Tenant names that differ only by case were kept by the migration; report them with it (the migrate verb
            // does the same). Without migrations at start-up the server does not touch the database here, so it can
            // start (and answer /health/ready with 503) while the database is away.
            var clashes = await Features.Tenants.TenantNameClashes.FindAsync(scope.ServiceProvider.GetRequiredService<MwapDbContext>(), cancellationToken);
            if (clashes.Count > 0)
            {
                LogNameClashes(logger, Features.Tenants.TenantNameClashes.Describe(clashes));
            }
        }

        await scope.ServiceProvider.GetRequiredService<SuperAdminRegistry>().SeedFromConfigurationAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Report}")]
    private static partial void LogNameClashes(ILogger logger, string report);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
