using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.IntegrationTests.Infrastructure;
using Npgsql;

namespace Mwap.Api.IntegrationTests.Features.AuditLog;

/// <summary>Retention archives what it deletes when <c>AuditLog:ArchiveDirectory</c> is set; a failed write deletes nothing.</summary>
public sealed class ArchivingApiFactory : MwapApiFactory
{
    public string ArchiveDirectory { get; } = Path.Combine(Path.GetTempPath(), "mwap-archive-" + Guid.NewGuid().ToString("N"));

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["AuditLog:RetentionDays"] = "30",
        ["AuditLog:RetentionBatchSize"] = "100",
        ["AuditLog:ArchiveDirectory"] = ArchiveDirectory,
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(ArchiveDirectory))
        {
            Directory.Delete(ArchiveDirectory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class AuditLogArchiveTests(ArchivingApiFactory factory) : IClassFixture<ArchivingApiFactory>
{
    private static readonly DateTime Day1 = new(2020, 3, 1, 10, 0, 0, DateTimeKind.Utc);

    private async Task<(string Tenant, List<string> Expired, string Kept, string Platform)> SeedAsync()
    {
        var tenant = ObjectId.NewId();
        var expired = new List<string>();
        string kept = null!, platform = null!;
        await factory.WithDbAsync(async db =>
        {
            AuditLogEntry Row(string? tenantId, DateTime at) => new()
            {
                Id = ObjectId.NewId(),
                TenantId = tenantId,
                ActorId = "auth0|seed",
                Action = "test.archive",
                TargetType = "test",
                Details = "{\"note\":\"tab\\tquote\\\" comma,\"}",
                UserAgent = "agent \"x\", y",
                CreatedAt = at,
            };
            for (var i = 0; i < 150; i++)
            {
                // 150 rows over two UTC days: more than one batch.
                var row = Row(tenant, Day1.AddMinutes(i * 15));
                db.AuditLogs.Add(row);
                expired.Add(row.Id);
            }

            var fresh = Row(tenant, DateTime.UtcNow.AddDays(-1));
            var old = Row(null, Day1);
            db.AuditLogs.AddRange(fresh, old);
            kept = fresh.Id;
            platform = old.Id;
            return await db.SaveChangesAsync();
        });
        return (tenant, expired, kept, platform);
    }

    private static List<JsonElement> ReadArchive(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var rows = new List<JsonElement>();
        while (reader.ReadLine() is { } line)
        {
            rows.Add(JsonDocument.Parse(line).RootElement.Clone());
        }

        return rows;
    }

    private async Task RunAsync(AuditLogOptions? options = null)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var job = options is null
            ? scope.ServiceProvider.GetRequiredService<AuditLogRetentionJob>()
            : new AuditLogRetentionJob(scope.ServiceProvider.GetRequiredService<MwapDbContext>(), new AuditLogArchive(Options.Create(options)),
                Options.Create(options), TimeProvider.System, NullLogger<AuditLogRetentionJob>.Instance);
        await job.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Run_ArchivesEachTenantDayAsGzippedJsonLines_BeforeDeleting()
    {
        var seeded = await SeedAsync();

        await RunAsync();

        var day1 = ReadArchive(Path.Combine(factory.ArchiveDirectory, seeded.Tenant, "2020-03-01.jsonl.gz"));
        var day2 = ReadArchive(Path.Combine(factory.ArchiveDirectory, seeded.Tenant, "2020-03-02.jsonl.gz"));
        Assert.Equal(seeded.Expired.Order(), day1.Concat(day2).Select(r => r.GetProperty("id").GetString()!).Order());
        Assert.All(day1, r => Assert.StartsWith("2020-03-01T", r.GetProperty("created_at").GetString(), StringComparison.Ordinal));
        Assert.Equal("agent \"x\", y", day1[0].GetProperty("user_agent").GetString());
        Assert.Contains(seeded.Platform, ReadArchive(Path.Combine(factory.ArchiveDirectory, AuditLogArchive.PlatformFolder, "2020-03-01.jsonl.gz"))
            .Select(r => r.GetProperty("id").GetString()));
        var remaining = await factory.WithDbAsync(db => db.AuditLogs.Where(a => a.Action == "test.archive" && a.TenantId == seeded.Tenant).Select(a => a.Id).ToListAsync());
        Assert.Equal([seeded.Kept], remaining);
    }

    [Fact]
    public async Task FailedArchiveWrite_DeletesNothing_AndFailsTheRun()
    {
        var seeded = await SeedAsync();
        var blocker = Path.Combine(Path.GetTempPath(), "mwap-not-a-dir-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(blocker, "a file where the archive directory should be", TestContext.Current.CancellationToken);
        try
        {
            var options = new AuditLogOptions { RetentionDays = 30, RetentionBatchSize = 100, ArchiveDirectory = blocker };
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(options));
            Assert.Contains("archive write failed", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(blocker);
        }

        var remaining = await factory.WithDbAsync(db => db.AuditLogs.CountAsync(a => a.TenantId == seeded.Tenant && a.Action == "test.archive"));
        Assert.Equal(seeded.Expired.Count + 1, remaining);
    }

    /// <summary>The restore line of docs/operations.md, run as written against the database under test.</summary>
    [Fact]
    public async Task DocumentedRestoreCommand_PutsTheArchivedRowsBack()
    {
        var seeded = await SeedAsync();
        await RunAsync();
        var archive = Path.Combine(factory.ArchiveDirectory, seeded.Tenant);
        Assert.Equal(0, await factory.WithDbAsync(db => db.AuditLogs.CountAsync(a => seeded.Expired.Contains(a.Id))));

        string command;
        if (factory.Database.IsPostgres)
        {
            var pg = new NpgsqlConnectionStringBuilder(factory.Database.ConnectionString);
            var url = $"postgresql://{pg.Username}@{pg.Host}:{pg.Port}/{pg.Database}";
            command = $"zcat {archive}/*.jsonl.gz | psql \"{url}\" -v ON_ERROR_STOP=1 -c \"CREATE TEMP TABLE restore(j jsonb)\" -c \"COPY restore FROM STDIN WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')\" -c \"INSERT INTO audit_logs SELECT (jsonb_populate_record(NULL::audit_logs, j)).* FROM restore ON CONFLICT (id) DO NOTHING\"";
        }
        else
        {
            var file = new SqliteConnectionStringBuilder(factory.Database.ConnectionString).DataSource;
            command = $"zcat {archive}/*.jsonl.gz | sqlite3 {file} \"CREATE TEMP TABLE restore(j TEXT)\" \".mode ascii\" \".separator \\t \\n\" \".import /dev/stdin restore\" \"INSERT OR IGNORE INTO audit_logs(id, tenant_id, actor_id, action, target_type, target_id, outcome, ip, user_agent, trace_id, details, created_at) SELECT j->>'id', j->>'tenant_id', j->>'actor_id', j->>'action', j->>'target_type', j->>'target_id', j->>'outcome', j->>'ip', j->>'user_agent', j->>'trace_id', j->>'details', strftime('%Y-%m-%d %H:%M:%f', j->>'created_at') FROM restore\"";
        }

        using var shell = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var errors = await shell.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await shell.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(shell.ExitCode == 0, errors);

        var restored = await factory.WithDbAsync(db => db.AuditLogs.AsNoTracking().Where(a => seeded.Expired.Contains(a.Id)).ToListAsync());
        Assert.Equal(seeded.Expired.Order(), restored.Select(r => r.Id).Order());
        var first = restored.OrderBy(r => r.CreatedAt).First();
        Assert.Equal(Day1, first.CreatedAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal("agent \"x\", y", first.UserAgent);
        Assert.Equal("{\"note\":\"tab\\tquote\\\" comma,\"}", first.Details);
        // Restored rows are ordinary rows: the tenant's audit log query finds them by date.
        Assert.Equal(150, await factory.WithDbAsync(db => db.AuditLogs.CountAsync(a => a.TenantId == seeded.Tenant && a.CreatedAt < Day1.AddDays(2))));
    }
}
