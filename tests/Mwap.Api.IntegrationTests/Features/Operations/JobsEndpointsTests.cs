using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.Features.Operations;
using Mwap.Api.Infrastructure.Observability;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.Operations;

/// <summary>A host with the job server on (recurring schedules registered), jobs stored beside the database under test.</summary>
public sealed class OperationsJobsApiFactory : MwapApiFactory
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Jobs:Enabled"] = "true",
        ["Jobs:PollIntervalSeconds"] = "1",
        ["Jobs:MaintenanceCron"] = "0 4 * * 0",
    };
}

/// <summary>The jobs API, the maintenance job (direct and through Hangfire) and the job telemetry.</summary>
public sealed class JobsEndpointsTests(OperationsJobsApiFactory factory) : IClassFixture<OperationsJobsApiFactory>
{
    private bool Postgres => factory.Database.Provider == "Postgres";

    [Fact]
    public async Task List_ShowsEveryRecurringJobWithItsSchedule()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));

        var data = await admin.GetAsync("/api/v1/admin/jobs").ReadDataAsync();

        var jobs = data.GetProperty("recurring").EnumerateArray().ToDictionary(j => j.GetProperty("id").GetString()!);
        Assert.Contains("audit-log-retention", jobs.Keys);
        Assert.Contains("integration-token-refresh", jobs.Keys);
        Assert.Contains("integration-health-check", jobs.Keys);
        Assert.Equal("0 4 * * 0", jobs[MaintenanceJob.RecurringJobId].GetProperty("cron").GetString());
        Assert.Equal(JsonValueKind.String, jobs[MaintenanceJob.RecurringJobId].GetProperty("nextExecution").ValueKind);
        Assert.True(data.GetProperty("serversOnline").GetInt32() >= 1);
        Assert.Equal(JsonValueKind.Array, data.GetProperty("recentFailures").ValueKind);
    }

    [Fact]
    public async Task Trigger_UnknownJob_Returns404()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));

        var response = await admin.PostAsync("/api/v1/admin/jobs/no-such-job/trigger", null);

        await response.AssertErrorAsync(HttpStatusCode.NotFound, "job/not-found");
    }

    [Fact]
    public async Task Trigger_ByANonSuperAdmin_Returns403AndRunsNothing()
    {
        var before = await MaintenanceEntriesAsync();

        var response = await factory.CreateClientFor(TestUsers.NewSubject()).PostAsync($"/api/v1/admin/jobs/{MaintenanceJob.RecurringJobId}/trigger", null);

        await response.AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
        Assert.Equal(before, await MaintenanceEntriesAsync());
    }

    [Fact]
    public async Task Trigger_Maintenance_Returns202_RunsOnTheJobServer_AndRecordsTelemetry()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var before = await MaintenanceEntriesAsync();
        var recorded = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MwapMetrics.MeterName && instrument.Name == "mwap.job.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "job" && (string?)tag.Value == MaintenanceJob.RecurringJobId)
                {
                    Interlocked.Increment(ref recorded);
                }
            }
        });
        listener.Start();

        var data = await admin.PostAsync($"/api/v1/admin/jobs/{MaintenanceJob.RecurringJobId}/trigger", null).ReadDataAsync(HttpStatusCode.Accepted);
        Assert.Equal(MaintenanceJob.RecurringJobId, data.GetProperty("recurringJobId").GetString());
        Assert.False(string.IsNullOrEmpty(data.GetProperty("jobId").GetString()));

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await MaintenanceEntriesAsync() == before || Volatile.Read(ref recorded) == 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.True(await MaintenanceEntriesAsync() > before, "the triggered maintenance job left no audit entry");
        Assert.True(Volatile.Read(ref recorded) > 0, "the job filter recorded no mwap.job.duration for the run");
        var trigger = await factory.WithDbAsync(db => db.AuditLogs.AsNoTracking().Where(a => a.Action == "jobs.trigger").OrderByDescending(a => a.CreatedAt).FirstAsync());
        Assert.Equal(MaintenanceJob.RecurringJobId, trigger.TargetId);
    }

    [Fact]
    public async Task Maintenance_RunsTheProvidersUpkeep_AndRecordsItInTheAuditLog()
    {
        MaintenanceJob.Result result;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            result = await scope.ServiceProvider.GetRequiredService<MaintenanceJob>().RunAsync(TestContext.Current.CancellationToken);
        }

        var entry = await factory.WithDbAsync(db => db.AuditLogs.AsNoTracking()
            .Where(a => a.Action == MaintenanceJob.AuditAction).OrderByDescending(a => a.CreatedAt).FirstAsync());
        using var details = JsonDocument.Parse(entry.Details!);
        var statements = details.RootElement.GetProperty("statements").EnumerateArray().Select(s => s.GetString()!).ToList();
        Assert.Equal(result.Statements, (IReadOnlyList<string>)statements);
        Assert.Equal("system", entry.ActorId);
        Assert.True(details.RootElement.GetProperty("durationMs").GetInt64() >= 0);
        if (Postgres)
        {
            Assert.Equal("postgresql", details.RootElement.GetProperty("provider").GetString());
            Assert.Contains("ANALYZE \"tenants\";", statements);
            Assert.Contains("ANALYZE \"cloud_integrations\";", statements);
            Assert.Contains("ANALYZE \"audit_logs\";", statements);
        }
        else
        {
            Assert.Equal("sqlite", details.RootElement.GetProperty("provider").GetString());
            Assert.Equal(["PRAGMA optimize;", "PRAGMA incremental_vacuum;"], statements);
            Assert.False(string.IsNullOrEmpty(details.RootElement.GetProperty("autoVacuum").GetString()));
        }
    }

    private Task<int> MaintenanceEntriesAsync() =>
        factory.WithDbAsync(db => db.AuditLogs.AsNoTracking().CountAsync(a => a.Action == MaintenanceJob.AuditAction));
}
