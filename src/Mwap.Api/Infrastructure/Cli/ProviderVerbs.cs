using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Infrastructure.Cli;

/// <summary><c>providers list</c> and <c>providers seed</c>.</summary>
internal static class ProviderVerbs
{
    /// <summary>One line per provider; whether credentials are stored, never their values.</summary>
    public static async Task<int> ListAsync(WebApplication app, CliInvocation invocation)
    {
        await app.Services.MigrateDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var providers = await scope.ServiceProvider.GetRequiredService<MwapDbContext>().Set<CloudProvider>().AsNoTracking()
            .OrderBy(p => p.Slug)
            .Select(p => new { p.Slug, p.Name, HasClientId = p.ClientId != "", HasSecret = p.EncryptedClientSecret != "" })
            .ToListAsync();
        if (providers.Count == 0)
        {
            await Console.Out.WriteLineAsync("No cloud providers (create them with 'providers seed' or POST /api/v1/cloud-providers).");
            return 0;
        }

        var slugWidth = Math.Max(4, providers.Max(p => p.Slug.Length));
        var nameWidth = Math.Max(4, providers.Max(p => p.Name.Length));
        await Console.Out.WriteLineAsync($"{"SLUG".PadRight(slugWidth)}  {"NAME".PadRight(nameWidth)}  CLIENT ID  CLIENT SECRET");
        foreach (var p in providers)
        {
            await Console.Out.WriteLineAsync(
                $"{p.Slug.PadRight(slugWidth)}  {p.Name.PadRight(nameWidth)}  {YesNo(p.HasClientId),-9}  {YesNo(p.HasSecret)}");
        }

        return 0;
    }

    /// <summary>Creates the standard providers it has credentials for; one line per provider; exit 1 when any was skipped.</summary>
    public static async Task<int> SeedAsync(WebApplication app, CliInvocation invocation)
    {
        await app.Services.MigrateDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<CloudProvidersOptions>>().Value;
        SeedCredentials Credentials(string slug)
        {
            var configured = options.Seed.GetValueOrDefault(slug);
            var prefix = StandardProviders.All.First(p => p.Slug == slug).EnvironmentPrefix;
            return new SeedCredentials
            {
                ClientId = configured?.ClientId ?? Environment.GetEnvironmentVariable($"{prefix}_CLIENT_ID"),
                ClientSecret = configured?.ClientSecret ?? Environment.GetEnvironmentVariable($"{prefix}_CLIENT_SECRET"),
            };
        }

        var outcomes = await scope.ServiceProvider.GetRequiredService<CloudProviderService>().SeedStandardAsync("cli", Credentials, CancellationToken.None);
        foreach (var outcome in outcomes)
        {
            await Console.Out.WriteLineAsync($"{outcome.Slug}: {outcome.Description}");
        }

        return outcomes.Any(o => o.Result == SeedResult.MissingCredentials) ? 1 : 0;
    }

    private static string YesNo(bool value) => value ? "yes" : "no";
}
