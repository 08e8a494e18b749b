using System.ComponentModel.DataAnnotations;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Infrastructure.Jobs;

/// <summary>Background job settings (<c>Jobs:*</c>).</summary>
internal sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Run a job server in this instance (default true). API-only instances set false; they can still enqueue.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Concurrent jobs in this instance.</summary>
    [Range(1, 64)]
    public int WorkerCount { get; set; } = 2;

    /// <summary>How often idle workers look for queued jobs, in seconds (default 5).</summary>
    [Range(1, 300)]
    public int PollIntervalSeconds { get; set; } = 5;

    /// <summary>
    /// How long a fetched job stays invisible to other instances without a sign of life from the instance running it, in
    /// seconds (default 300). The running instance renews it while the job runs (sliding), so a long job is never
    /// started twice; if that instance dies, another picks the job up once this time has passed.
    /// </summary>
    [Range(5, 86_400)]
    public int InvisibilityTimeoutSeconds { get; set; } = 300;

    /// <summary>Cron (UTC) of the audit-log retention job (default daily at 03:00).</summary>
    [Required]
    public string AuditLogRetentionCron { get; set; } = "0 3 * * *";

    /// <summary>Cron (UTC) of the database maintenance job (default Sundays at 03:00).</summary>
    [Required]
    public string MaintenanceCron { get; set; } = "0 3 * * 0";
}

internal static class JobsSetup
{
    /// <summary>
    /// Hangfire with its storage beside the data: a second SQLite file next to the main one, or the schema
    /// <c>hangfire</c> in the PostgreSQL database. The storage is registered per host (not through Hangfire's static
    /// configuration) so several hosts in one process never share a store.
    /// </summary>
    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<JobStorage>(CreateStorage);
        // Per host too: Hangfire's default registration hands every host the static JobActivator.Current, which is the
        // last-configured host's, so with two hosts in one process (tests) one host's jobs ran in the other's services
        // and database, silently.
        builder.Services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        JobTelemetryFilter.EnsureRegistered();
        builder.Services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());

        var jobs = builder.Configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions();
        if (jobs.Enabled)
        {
            builder.Services.AddHangfireServer((sp, server) =>
            {
                server.WorkerCount = sp.GetRequiredService<IOptions<JobsOptions>>().Value.WorkerCount;
                server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
                server.ShutdownTimeout = TimeSpan.FromSeconds(20);
                // Delayed and recurring jobs are noticed as promptly as queued ones (Hangfire's default is 15 s).
                server.SchedulePollingInterval = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<JobsOptions>>().Value.PollIntervalSeconds);
            });
            builder.Services.AddHostedService<RecurringJobSchedule>();
        }

        builder.Services.AddHealthChecks().AddCheck<JobStorageHealthCheck>("jobs", tags: ["ready"]);
        return builder;
    }

    private static JobStorage CreateStorage(IServiceProvider sp)
    {
        var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var configuration = sp.GetRequiredService<IConfiguration>();
        var jobs = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
        var poll = TimeSpan.FromSeconds(jobs.PollIntervalSeconds);
        var connectionString = configuration.GetConnectionString(PersistenceSetup.ConnectionStringName);
        if (database.Provider == DatabaseProvider.Postgres)
        {
            var options = new PostgreSqlStorageOptions
            {
                SchemaName = "hangfire",
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = poll,
                InvisibilityTimeout = TimeSpan.FromSeconds(jobs.InvisibilityTimeoutSeconds),
                UseSlidingInvisibilityTimeout = true,
            };
            return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString!, options), options);
        }

        var main = new SqliteConnectionStringBuilder(sp.GetRequiredService<DataPaths>().SqliteConnectionString(connectionString)).DataSource;
        var jobsFile = Path.Combine(Path.GetDirectoryName(main) ?? ".", Path.GetFileNameWithoutExtension(main) + "-jobs.db");
        return new SQLiteStorage(jobsFile, new SQLiteStorageOptions { QueuePollInterval = poll });
    }
}
