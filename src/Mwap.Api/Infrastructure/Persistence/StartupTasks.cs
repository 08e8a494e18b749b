using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Infrastructure.Persistence;

internal static class StartupTasks
{
    /// <summary>Migrates (when <c>Database:MigrateOnStartup</c>) and seeds superadmins from configuration, before the server listens.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        if (app.Services.MigrateOnStartup())
        {
            await app.Services.MigrateDatabaseAsync();
        }

        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SuperAdminRegistry>().SeedFromConfigurationAsync(CancellationToken.None);
    }
}
