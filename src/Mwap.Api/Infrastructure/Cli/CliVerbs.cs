using Microsoft.Extensions.Options;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Infrastructure.Cli;

/// <summary>
/// Administrative verbs run through the same host and configuration as the server:
/// <c>migrate</c>, <c>dev-token --sub S [--email E] [--name N]</c>, <c>superadmin add|remove SUB</c>, <c>superadmin list</c>.
/// Logs go to stderr; stdout carries only each verb's result.
/// </summary>
internal sealed class CliVerbs
{
    private static readonly string[] Verbs = ["migrate", "dev-token", "superadmin", "providers", "keys", "import", "help", "--help"];
    private readonly string[] _args;

    private CliVerbs(string[] args) => _args = args;

    /// <summary>Splits the verb and its arguments from the host's own arguments (configuration overrides).</summary>
    public static CliVerbs? Parse(string[] args, out string[] hostArgs)
    {
        if (args.Length == 0 || !Verbs.Contains(args[0], StringComparer.Ordinal))
        {
            hostArgs = args;
            return null;
        }

        hostArgs = [];
        return new CliVerbs(args);
    }

    public async Task<int> RunAsync(WebApplication app)
    {
        try
        {
            return _args[0] switch
            {
                "migrate" => await MigrateAsync(app),
                "dev-token" => DevToken(app),
                "superadmin" => await Features.SuperAdmins.SuperAdminVerb.RunAsync(app, _args[1..]),
                "providers" when _args is [_, "seed"] => await SeedProvidersAsync(app),
                "keys" when _args is [_, "rotate", ..] => await RotateKeysAsync(app),
                "import" => await Features.Import.ImportCommand.RunAsync(app.Services, _args, Console.Out, Console.Error, CancellationToken.None),
                _ => Usage(),
            };
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync("Configuration error: " + string.Join("; ", e.Failures));
            return 2;
        }
    }

    private static async Task<int> MigrateAsync(WebApplication app)
    {
        await app.Services.MigrateDatabaseAsync();
        await Console.Error.WriteLineAsync("Migrations applied.");
        return 0;
    }

    private int DevToken(WebApplication app)
    {
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (app.Environment.IsProduction())
        {
            Console.Error.WriteLine("dev-token is refused in Production.");
            return 1;
        }

        if (!auth.IsDevelopmentMode)
        {
            Console.Error.WriteLine("dev-token works only in development mode (no Auth:Authority configured).");
            return 1;
        }

        var sub = Option("--sub");
        if (string.IsNullOrWhiteSpace(sub))
        {
            Console.Error.WriteLine("Usage: dev-token --sub <sub> [--email E] [--name N] [--hours H]");
            return 2;
        }

        var hours = int.TryParse(Option("--hours"), out var h) && h is > 0 and <= 720 ? h : 24;
        var key = app.Services.GetRequiredService<DevSigningKey>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        Console.Out.WriteLine(key.CreateToken(auth.DevIssuer, auth.EffectiveAudience, sub, Option("--email"), Option("--name"),
            TimeSpan.FromHours(hours), time.GetUtcNow()));
        return 0;
    }

    private static async Task<int> SeedProvidersAsync(WebApplication app)
    {
        await app.Services.MigrateDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<CloudProvidersOptions>>().Value;
        SeedCredentials? Credentials(string slug)
        {
            var configured = options.Seed.GetValueOrDefault(slug);
            var prefix = StandardProviders.All.First(p => p.Slug == slug).EnvironmentPrefix;
            return new SeedCredentials
            {
                ClientId = configured?.ClientId ?? Environment.GetEnvironmentVariable($"{prefix}_CLIENT_ID"),
                ClientSecret = configured?.ClientSecret ?? Environment.GetEnvironmentVariable($"{prefix}_CLIENT_SECRET"),
            };
        }

        try
        {
            var created = await scope.ServiceProvider.GetRequiredService<CloudProviderService>().SeedStandardAsync("cli", Credentials, CancellationToken.None);
            await Console.Out.WriteLineAsync(created.Count == 0 ? "All standard providers already exist." : $"Created: {string.Join(", ", created)}");
            return 0;
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    private async Task<int> RotateKeysAsync(WebApplication app)
    {
        var batch = int.TryParse(Option("--batch"), out var b) && b is > 0 and <= 10_000 ? b : 200;
        await app.Services.MigrateDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var rotation = scope.ServiceProvider.GetRequiredService<SecretRotation>();
        var result = await rotation.RotateAsync(batch, p =>
            Console.Out.WriteLine($"{p.Column}: {p.Done}/{p.Total} re-encrypted" + (p.Failed > 0 ? $", {p.Failed} undecryptable" : "")),
            CancellationToken.None);
        await Console.Out.WriteLineAsync($"Done: {result.Reencrypted} re-encrypted, {result.Failed} undecryptable (left unchanged, see the audit log).");
        return result.Failed == 0 ? 0 : 1;
    }

    private static int Usage()
    {
        Console.Out.WriteLine("""
            Usage: Mwap.Api [verb]
              (no verb)                     run the server
              migrate                       apply pending database migrations and exit
              dev-token --sub S [--email E] [--name N] [--hours H]
                                            print a development token (development mode only)
              superadmin add SUB            make SUB a superadmin (running instances see it within seconds)
              superadmin remove SUB         remove a superadmin (never the last one)
              superadmin list               list the superadmins
              providers seed                create google-drive, dropbox and onedrive from configured client credentials
              keys rotate [--batch N]       re-encrypt every stored secret under Encryption:ActiveKeyId (resumable)
              import mwap <source> [...]    import an MWAP MongoDB export (see docs/migrating-from-mwap.md)
            """);
        return 0;
    }

    private string? Option(string name)
    {
        var i = Array.IndexOf(_args, name);
        return i >= 0 && i + 1 < _args.Length ? _args[i + 1] : null;
    }
}
