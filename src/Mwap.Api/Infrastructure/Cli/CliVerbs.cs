using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Infrastructure.Cli;

/// <summary>
/// Administrative verbs, run through the same host and configuration as the server. Logs go to stderr; stdout carries
/// only each verb's result. To add a verb, add a row to <see cref="All"/> (its words, positional arguments, options,
/// one-line summary, and the method that runs it); parsing, usage and argument errors follow from the row.
/// </summary>
internal static class CliVerbs
{
    public static readonly IReadOnlyList<CliVerb> All =
    [
        new("migrate", [], [], "apply pending database migrations, say which database, and exit", MigrateAsync),
        new("dev-token", [], [new("--sub", "S", Required: true), new("--email", "E"), new("--name", "N"), new("--hours", "H", Min: 1, Max: 720)],
            "print a development token (Development only; H default 24)", DevTokenAsync),
        new("superadmin add", ["SUB"], [], "make SUB a superadmin (running instances see it within seconds)",
            (app, call) => Features.SuperAdmins.SuperAdminVerb.RunAsync(app, ["add", call.Arguments[0]])),
        new("superadmin remove", ["SUB"], [], "remove a superadmin (never the last one)",
            (app, call) => Features.SuperAdmins.SuperAdminVerb.RunAsync(app, ["remove", call.Arguments[0]])),
        new("superadmin list", [], [], "list the superadmins", (app, _) => Features.SuperAdmins.SuperAdminVerb.RunAsync(app, ["list"])),
        new("providers list", [], [], "list cloud providers (slug, name, whether client id and secret are stored)", ProviderVerbs.ListAsync),
        new("providers seed", [], [], "create google-drive, dropbox and onedrive from configured client credentials", ProviderVerbs.SeedAsync),
        new("keys rotate", [], [new("--batch", "N", Min: 1, Max: 10_000)], "re-encrypt every stored secret under Encryption:ActiveKeyId (resumable)",
            RotateKeysAsync),
        new("import mwap", ["SOURCE"],
            [new("--legacy-key", "KEY"), new("--legacy-key-env", "VAR"), new("--dry-run", "", Flag: true), new("--overwrite", "", Flag: true),
                new("--tenant", "ID"), new("--batch", "N", Min: 1, Max: 10_000), new("--report", "FILE")],
            "import an MWAP MongoDB dump or export (see docs/migrating-from-mwap.md)", ImportAsync),
    ];

    /// <summary>Runs the verb; a configuration the verb cannot work with is reported in one line per setting (exit 1).</summary>
    public static async Task<int> RunAsync(WebApplication app, CliInvocation invocation)
    {
        try
        {
            return await invocation.Verb.RunAsync(app, invocation);
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync(StartupValidation.Describe(e, app.Environment.EnvironmentName));
            return 1;
        }
    }

    private static async Task<int> MigrateAsync(WebApplication app, CliInvocation invocation)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MwapDbContext>();
        var target = DatabaseDescription.Of(db);
        await PersistenceSetup.EnsureMigrationsHistoryAsync(db);
        var pending = (await db.Database.GetPendingMigrationsAsync()).Count();
        await app.Services.MigrateDatabaseAsync();
        await Console.Out.WriteLineAsync(pending == 0
            ? $"{target}: already up to date."
            : $"{target}: applied {pending} migration{(pending == 1 ? "" : "s")}.");
        var clashes = await Features.Tenants.TenantNameClashes.FindAsync(db, CancellationToken.None);
        if (clashes.Count > 0)
        {
            await Console.Out.WriteLineAsync(Features.Tenants.TenantNameClashes.Describe(clashes));
        }

        return 0;
    }

    private static Task<int> DevTokenAsync(WebApplication app, CliInvocation invocation)
    {
        // Checked before the options are read: outside Development the Auth section itself is invalid without an authority.
        if (!app.Environment.IsDevelopment())
        {
            Console.Error.WriteLine($"dev-token works only in the Development environment (this is {app.Environment.EnvironmentName}).");
            return Task.FromResult(1);
        }

        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (!auth.IsDevelopmentMode)
        {
            Console.Error.WriteLine("dev-token works only in development mode (no Auth:Authority configured).");
            return Task.FromResult(1);
        }

        var key = app.Services.GetRequiredService<DevSigningKey>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        Console.Out.WriteLine(key.CreateToken(auth.DevIssuer, auth.EffectiveAudience, invocation.Option("--sub")!, invocation.Option("--email"),
            invocation.Option("--name"), TimeSpan.FromHours(invocation.IntOption("--hours", 24)), time.GetUtcNow()));
        return Task.FromResult(0);
    }

    // The importer reads its own argument list (it also runs from tests and the benchmark); the table has already checked it.
    private static Task<int> ImportAsync(WebApplication app, CliInvocation invocation)
    {
        var args = new List<string> { "import", "mwap", invocation.Arguments[0] };
        foreach (var option in invocation.Verb.Options.Where(o => invocation.Options.ContainsKey(o.Name)))
        {
            args.Add(option.Name);
            if (!option.Flag)
            {
                args.Add(invocation.Options[option.Name]);
            }
        }

        return Features.Import.ImportCommand.RunAsync(app.Services, [.. args], Console.Out, Console.Error, CancellationToken.None);
    }

    private static async Task<int> RotateKeysAsync(WebApplication app, CliInvocation invocation)
    {
        await app.Services.MigrateDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var rotation = scope.ServiceProvider.GetRequiredService<SecretRotation>();
        var result = await rotation.RotateAsync(invocation.IntOption("--batch", 200), p =>
            {
                if (p.Failure is not null)
                {
                    Console.Error.WriteLine($"{p.Column} {p.Failure}");
                    return;
                }

                Console.Out.WriteLine($"{p.Column}: {p.Done}/{p.Total} re-encrypted" + (p.Failed > 0 ? $", {p.Failed} undecryptable" : ""));
            },
            CancellationToken.None);
        await Console.Out.WriteLineAsync($"Done: {result.Reencrypted} re-encrypted, {result.Failed} undecryptable (left unchanged, see the audit log).");
        return result.Failed == 0 ? 0 : 1;
    }
}

/// <summary>Names the database a context points at: provider, host/port/name or file path; never a password.</summary>
internal static class DatabaseDescription
{
    public static string Of(MwapDbContext db)
    {
        var connectionString = db.Database.GetConnectionString() ?? "";
        if (db.Database.IsNpgsql())
        {
            var npgsql = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return $"PostgreSQL database '{npgsql.Database}' on {npgsql.Host}:{npgsql.Port} as '{npgsql.Username}'";
        }

        var sqlite = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        return $"SQLite database {Path.GetFullPath(sqlite.DataSource)}";
    }
}
