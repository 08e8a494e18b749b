using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.Tenants;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.AuditLog;

/// <summary>A host with the job server on, storing jobs beside the database under test (SQLite file or schema <c>hangfire</c>).</summary>
public sealed class JobsEnabledApiFactory : MwapApiFactory
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Jobs:Enabled"] = "true",
        ["Jobs:PollIntervalSeconds"] = "1",
        ["AuditLog:RetentionDays"] = "30",
        ["AuditLog:RetentionBatchSize"] = "100",
    };
}

/// <summary>Audit-log retention deletes exactly the rows past their tenant's (or the platform's) retention.</summary>
public sealed class AuditLogRetentionJobTests(JobsEnabledApiFactory factory) : IClassFixture<JobsEnabledApiFactory>
{
    [Fact]
    public async Task Run_DeletesExactlyTheExpiredRows()
    {
        var seeded = await SeedAsync();

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AuditLogRetentionJob>().RunAsync(TestContext.Current.CancellationToken);
        }

        var remaining = await factory.WithDbAsync(db => db.AuditLogs.AsNoTracking().Where(a => seeded.All.Contains(a.Id)).Select(a => a.Id).ToListAsync());
        Assert.Equal(seeded.Kept.Order(), remaining.Order());
    }

    [Fact]
    public async Task Run_Twice_IsIdempotent()
    {
        var seeded = await SeedAsync();
        for (var i = 0; i < 2; i++)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AuditLogRetentionJob>().RunAsync(TestContext.Current.CancellationToken);
        }

        var remaining = await factory.WithDbAsync(db => db.AuditLogs.AsNoTracking().Where(a => seeded.All.Contains(a.Id)).CountAsync());
        Assert.Equal(seeded.Kept.Count, remaining);
    }

    [Fact]
    public void RecurringJob_IsRegisteredDaily()
    {
        using var connection = factory.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == AuditLogRetentionJob.RecurringJobId);
        Assert.Equal("0 3 * * *", job.Cron);
    }

    [Fact]
    public async Task TriggeredThroughHangfire_RunsOnTheJobServer()
    {
        var seeded = await SeedAsync();
        factory.Services.GetRequiredService<IRecurringJobManager>().Trigger(AuditLogRetentionJob.RecurringJobId);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        int remaining;
        do
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            remaining = await factory.WithDbAsync(db => db.AuditLogs.AsNoTracking().Where(a => seeded.All.Contains(a.Id)).CountAsync());
        }
        while (remaining != seeded.Kept.Count && DateTime.UtcNow < deadline);

        Assert.Equal(seeded.Kept.Count, remaining);
    }

    private sealed record Seeded(List<string> All, List<string> Kept);

    /// <summary>
    /// Tenant "short" keeps 7 days, tenant "default" uses the platform's 30, and rows without a tenant (or of a deleted
    /// tenant) use 30 too. Each gets rows just inside and just outside its window, and enough expired rows to need batches.
    /// </summary>
    private async Task<Seeded> SeedAsync()
    {
        var now = DateTime.UtcNow;
        var all = new List<string>();
        var kept = new List<string>();
        await factory.WithDbAsync(async db =>
        {
            var shortTenant = NewTenant(retentionDays: 7);
            var defaultTenant = NewTenant(retentionDays: null);
            db.Tenants.AddRange(shortTenant, defaultTenant);
            var deletedTenantId = ObjectId.NewId();

            void Row(string? tenantId, double ageDays, bool keep)
            {
                var row = new AuditLogEntry
                {
                    Id = ObjectId.NewId(),
                    TenantId = tenantId,
                    ActorId = "auth0|seed",
                    Action = "test.seed",
                    TargetType = "test",
                    CreatedAt = now.AddDays(-ageDays),
                };
                db.AuditLogs.Add(row);
                all.Add(row.Id);
                if (keep)
                {
                    kept.Add(row.Id);
                }
            }

            Row(shortTenant.Id, 6.9, keep: true);
            Row(shortTenant.Id, 7.1, keep: false);
            Row(shortTenant.Id, 20, keep: false);
            Row(defaultTenant.Id, 20, keep: true);
            Row(defaultTenant.Id, 29.9, keep: true);
            Row(defaultTenant.Id, 30.1, keep: false);
            Row(null, 29, keep: true);
            Row(null, 31, keep: false);
            Row(deletedTenantId, 10, keep: true);
            Row(deletedTenantId, 45, keep: false);
            for (var i = 0; i < 250; i++)
            {
                Row(defaultTenant.Id, 100 + i, keep: false);
            }

            return await db.SaveChangesAsync();
        });
        return new Seeded(all, kept);
    }

    private static Tenant NewTenant(int? retentionDays)
    {
        var settings = new TenantSettings { RetentionDays = retentionDays };
        return new Tenant(ObjectId.NewId(), TestUsers.NewSubject(), TestUsers.UniqueName(), null, settings);
    }
}
