using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;

namespace Mwap.Api.Infrastructure.Persistence;

/// <summary>Wires EF Core to the configured provider and prepares the database at start-up.</summary>
internal static class PersistenceSetup
{
    public const string ConnectionStringName = "Mwap";

    /// <summary>
    /// Registers <see cref="MwapDbContext"/> as the provider-specific subclass chosen by <c>Database:Provider</c>.
    /// Contexts are pooled: building a context's options and internal services per request was a tenth of the CPU of
    /// <c>GET /projects/{id}</c> (issue 13, docs/performance.md). A pooled context is reset when its scope ends, so it
    /// must hold no per-request state of its own; the interceptors it gets are singletons (the integrations' one is
    /// registered by the integrations feature).
    /// </summary>
    public static WebApplicationBuilder AddPersistence(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate<IConfiguration>((o, configuration) => o.Provider != DatabaseProvider.Postgres ||
                    !string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName)),
                "ConnectionStrings:Mwap: required when Database:Provider is Postgres: set e.g. Host=db.internal;Port=5432;Database=mwap;Username=mwap;Password=…")
            .ValidateOnStart();
        builder.Services.AddSingleton<TimestampInterceptor>();
        builder.Services.AddSingleton<DataPaths>();
        builder.Services.AddHostedService<DatabaseStartupService>();
        Features.SuperAdmins.SuperAdminsFeature.AddSuperAdmins(builder.Services);
        // An import (the CLI, another process) moves a marker this watches, to drop cached roles and projects.
        builder.Services.AddHostedService<Features.Import.ImportWatcher>();

        var options = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var configured = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (options.Provider == DatabaseProvider.Postgres)
        {
            // A missing connection string is reported with every other missing setting at start-up (StartupValidation).
            builder.Services.AddDbContextPool<PostgresMwapDbContext>((sp, db) => db
                .UseNpgsql(WithNpgsqlDefaults(configured))
                .UseSnakeCaseNamingConvention()
                .AddInterceptors(sp.GetRequiredService<TimestampInterceptor>(), sp.GetRequiredService<Features.Integrations.IntegrationChangesInterceptor>()));
            builder.Services.AddScoped<MwapDbContext>(sp => sp.GetRequiredService<PostgresMwapDbContext>());
        }
        else
        {
            builder.Services.AddDbContextPool<SqliteMwapDbContext>((sp, db) => db
                .UseSqlite(sp.GetRequiredService<DataPaths>().SqliteConnectionString(configured))
                .UseSnakeCaseNamingConvention()
                .AddInterceptors(sp.GetRequiredService<TimestampInterceptor>(), sp.GetRequiredService<Features.Integrations.IntegrationChangesInterceptor>()));
            builder.Services.AddScoped<MwapDbContext>(sp => sp.GetRequiredService<SqliteMwapDbContext>());
        }

        builder.Services.AddHealthChecks().AddDbContextCheck<MwapDbContext>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Npgsql settings the API's traffic wants, each unless the connection string already decides it:
    /// <list type="bullet">
    /// <item>Automatic preparation: the API repeats a few dozen statements, and a prepared statement skips PostgreSQL's
    /// parse and plan on every execution (the planner alone took longer than the execution of the files page, issue 13).
    /// <c>Max Auto Prepare=0</c> turns it off, e.g. behind PgBouncer in transaction mode before 1.21 (docs/deploy.md).</item>
    /// <item><c>No Reset On Close=true</c>: otherwise every checkout of a pooled connection starts with a seven-statement
    /// reset (<c>RESET ALL; CLOSE ALL; UNLISTEN *; …</c>) in the simple protocol, one more round of PostgreSQL work per
    /// query (two per write). Nothing here leaves session state behind to reset: the server's only settings are
    /// <c>SET LOCAL</c>, which end with their transaction (<c>SessionStateTests</c> keeps it so), and Npgsql rolls back
    /// an unfinished transaction when a connection goes back to the pool either way.</item>
    /// </list>
    /// </summary>
    internal static string? WithNpgsqlDefaults(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!HasKey(connectionString, "Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 64;
            if (!HasKey(connectionString, "Auto Prepare Min Usages"))
            {
                builder.AutoPrepareMinUsages = 2;
            }
        }

        if (!HasKey(connectionString, "No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Whether the connection string sets <paramref name="key"/> itself. Parsed by the framework's builder (quoted values
    /// may hold ';' and '='); keys compared without spaces, since Npgsql accepts both "Max Auto Prepare" and "MaxAutoPrepare".
    /// </summary>
    private static bool HasKey(string connectionString, string key)
    {
        var builder = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return builder.Keys.Cast<string>().Any(k => Compact(k).Equals(Compact(key), StringComparison.OrdinalIgnoreCase));

        static string Compact(string s) => s.Replace(" ", string.Empty, StringComparison.Ordinal);
    }

    /// <summary>Applies pending migrations (and SQLite's journal settings).</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MwapDbContext>();
        if (db.Database.IsSqlite())
        {
            // WAL lets readers run beside the writer; it is a property of the file, so set it once here.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.CloseConnectionAsync();
        }

        await EnsureMigrationsHistoryAsync(db, cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>
    /// Creates EF's migrations history table (with EF's own script, so it is exactly the table EF expects) before anything
    /// reads it. On an empty PostgreSQL database EF reads it first and logs the failed SELECT as an error, which a healthy
    /// first start must not show.
    /// </summary>
    public static async Task EnsureMigrationsHistoryAsync(MwapDbContext db, CancellationToken cancellationToken = default)
    {
        if (db.Database.IsNpgsql())
        {
            var history = db.GetService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository>();
            await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken);
        }
    }

    /// <summary>True when <c>Database:MigrateOnStartup</c> asks for migrations at start-up.</summary>
    public static bool MigrateOnStartup(this IServiceProvider services) =>
        services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup;
}

/// <summary>Resolves <c>data/</c> (the embedded database, development keys, the SQLite job store).</summary>
internal sealed class DataPaths(IOptions<DatabaseOptions> options, IHostEnvironment environment)
{
    public string Directory
    {
        get
        {
            var dir = options.Value.DataDirectory;
            var full = Path.IsPathRooted(dir) ? dir : Path.Combine(environment.ContentRootPath, dir);
            System.IO.Directory.CreateDirectory(full);
            return full;
        }
    }

    public string File(string name) => Path.Combine(Directory, name);

    /// <summary>The configured SQLite connection string, or the default file <c>data/mwap.db</c>.</summary>
    public string SqliteConnectionString(string? configured)
    {
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? $"Data Source={File("mwap.db")}" : configured)
        {
            ForeignKeys = true,
            DefaultTimeout = 30,
        };
        if (!Path.IsPathRooted(builder.DataSource) && builder.DataSource != ":memory:")
        {
            builder.DataSource = Path.Combine(Directory, Path.GetFileName(builder.DataSource));
        }

        return builder.ToString();
    }
}
