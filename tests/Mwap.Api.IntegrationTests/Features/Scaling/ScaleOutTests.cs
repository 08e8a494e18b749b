using System.Diagnostics;
using System.Net;
using Hangfire;
using Hangfire.Storage.Monitoring;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.Integrations.Tokens;
using Mwap.Api.IntegrationTests.Infrastructure;
using Npgsql;

namespace Mwap.Api.IntegrationTests.Features.Scaling;

/// <summary>Two server processes on one PostgreSQL and one Redis: caches, schedules and jobs behave as one server.</summary>
[TestCaseOrderer(typeof(KillingTestsLast))]
[Trait("Pass", "postgres")]
public sealed class ScaleOutTests(TwoInstancesFixture fixture) : IClassFixture<TwoInstancesFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static bool IsPostgresRun => TwoInstancesFixture.IsPostgresRun;

    [Fact(Skip = TwoInstancesFixture.PostgresOnly, SkipUnless = nameof(IsPostgresRun))]
    public async Task RoleChangeOnA_IsSeenOnB_AsSoonAsItsInvalidationArrives()
    {
        await fixture.EnsureBothRunningAsync();
        var admin = fixture.A.CreateClient(fixture.Issuer.CreateToken(fixture.AdminSubject));
        var ownerSubject = TestUsers.NewSubject("owner");
        var ownerOnA = fixture.A.CreateClient(fixture.Issuer.CreateToken(ownerSubject));
        var userSubject = TestUsers.NewSubject("member");
        var userOnB = fixture.B.CreateClient(fixture.Issuer.CreateToken(userSubject));

        var providerId = ProjectScenario.Id(await ProjectScenario.CreateProviderAsync(admin));
        var projectTypeId = ProjectScenario.Id(await ProjectScenario.CreateProjectTypeAsync(admin));
        var tenantId = ProjectScenario.Id(await ProjectScenario.CreateTenantAsync(ownerOnA));
        var integrationId = ProjectScenario.Id(await ProjectScenario.CreateIntegrationAsync(ownerOnA, tenantId, providerId));
        var projectId = ProjectScenario.Id(await ownerOnA.PostJsonAsync("/api/v1/projects", new
        {
            tenantId,
            projectTypeId,
            cloudIntegrationId = integrationId,
            folderpath = "/Scaling",
            name = TestUsers.UniqueName("Project"),
            members = Array.Empty<object>(),
        }).ReadDataAsync(HttpStatusCode.Created));

        // B reads (and caches, in its memory and in Redis) the user's roles: none yet.
        Assert.Empty(await ProjectRolesAsync(userOnB));
        Assert.Empty(await ProjectRolesAsync(userOnB));

        var added = await ownerOnA.PostJsonAsync($"/api/v1/projects/{projectId}/members", new { userId = userSubject, role = "MEMBER" });
        Assert.Equal(HttpStatusCode.NoContent, added.StatusCode);
        // Redis pub/sub is asynchronous: B drops its entry when A's message arrives, milliseconds after A's commit.
        await EventuallyAsync(async () => (await ProjectRolesAsync(userOnB)).SequenceEqual([(projectId, "MEMBER")]), "B to see the new member's role");

        var removed = await ownerOnA.DeleteAsync(ProjectScenario.MemberUrl(projectId, userSubject));
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        await EventuallyAsync(async () => (await ProjectRolesAsync(userOnB)).Count == 0, "B to see the member removed");

        // And the other way round: B's tenant creation is seen by A.
        var tenantOnB = ProjectScenario.Id(await ProjectScenario.CreateTenantAsync(userOnB));
        var userOnA = fixture.A.CreateClient(fixture.Issuer.CreateToken(userSubject));
        await EventuallyAsync(async () => (await userOnA.GetAsync("/api/v1/users/me/roles").ReadDataAsync()).GetProperty("tenantId").GetString() == tenantOnB,
            "A to see the tenant created on B");
    }

    [Fact(Skip = TwoInstancesFixture.PostgresOnly, SkipUnless = nameof(IsPostgresRun))]
    public async Task ProjectChangeOnA_IsSeenOnB_AsSoonAsItsInvalidationArrives()
    {
        await fixture.EnsureBothRunningAsync();
        var adminOnB = fixture.B.CreateClient(fixture.Issuer.CreateToken(fixture.AdminSubject));
        var ownerSubject = TestUsers.NewSubject("owner");
        var ownerOnA = fixture.A.CreateClient(fixture.Issuer.CreateToken(ownerSubject));
        var ownerOnB = fixture.B.CreateClient(fixture.Issuer.CreateToken(ownerSubject));
        var providerId = ProjectScenario.Id(await ProjectScenario.CreateProviderAsync(adminOnB));
        var projectTypeId = ProjectScenario.Id(await ProjectScenario.CreateProjectTypeAsync(adminOnB));
        var tenantId = ProjectScenario.Id(await ProjectScenario.CreateTenantAsync(ownerOnA));
        var integrationId = ProjectScenario.Id(await ProjectScenario.CreateIntegrationAsync(ownerOnA, tenantId, providerId));
        var projectId = ProjectScenario.Id(await ownerOnA.PostJsonAsync("/api/v1/projects", new
        {
            tenantId,
            projectTypeId,
            cloudIntegrationId = integrationId,
            folderpath = "/Scaling",
            name = TestUsers.UniqueName("Project"),
        }).ReadDataAsync(HttpStatusCode.Created));
        var url = $"/api/v1/projects/{projectId}";

        // B caches the project (in its memory and in Redis); each change made on A must reach B's next read.
        Assert.Equal(1, (await ownerOnB.GetAsync(url).ReadDataAsync()).GetProperty("members").GetArrayLength());
        var renamed = TestUsers.UniqueName("Renamed");
        await ownerOnA.PatchJsonAsync(url, new { name = renamed }).ReadDataAsync();
        await EventuallyAsync(async () => (await ownerOnB.GetAsync(url).ReadDataAsync()).GetProperty("name").GetString() == renamed, "B to see the rename");

        var memberSubject = TestUsers.NewSubject("member");
        Assert.Equal(HttpStatusCode.NoContent, (await ownerOnA.PostJsonAsync($"{url}/members", new { userId = memberSubject, role = "MEMBER" })).StatusCode);
        await EventuallyAsync(async () => (await ownerOnB.GetAsync(url).ReadDataAsync()).GetProperty("members").GetArrayLength() == 2, "B to see the new member");
        Assert.Equal(2, (await ownerOnB.GetAsync("/api/v1/projects").ReadDataAsync()).EnumerateArray().Single().GetProperty("members").GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await ownerOnA.DeleteAsync(url)).StatusCode);
        await EventuallyAsync(async () => (await adminOnB.GetAsync(url)).StatusCode == HttpStatusCode.NotFound, "B to see the project deleted");
    }

    [Fact(Skip = TwoInstancesFixture.PostgresOnly, SkipUnless = nameof(IsPostgresRun))]
    public async Task IntegrationChangeOnA_IsSeenOnB_AsSoonAsItsInvalidationArrives()
    {
        await fixture.EnsureBothRunningAsync();
        var admin = fixture.A.CreateClient(fixture.Issuer.CreateToken(fixture.AdminSubject));
        var ownerSubject = TestUsers.NewSubject("owner");
        var ownerOnA = fixture.A.CreateClient(fixture.Issuer.CreateToken(ownerSubject));
        var ownerOnB = fixture.B.CreateClient(fixture.Issuer.CreateToken(ownerSubject));
        var tenantId = ProjectScenario.Id(await ProjectScenario.CreateTenantAsync(ownerOnA));
        var integrationId = ProjectScenario.Id(await ProjectScenario.CreateIntegrationAsync(ownerOnA, tenantId,
            ProjectScenario.Id(await ProjectScenario.CreateProviderAsync(admin))));
        var url = $"/api/v1/tenants/{tenantId}/integrations";

        // B keeps the tenant's list in its memory (issue 13); A's writes reach it through the invalidation channel.
        Assert.Equal(1, (await ownerOnB.GetAsync(url).ReadDataAsync()).GetArrayLength());
        Assert.Equal(1, (await ownerOnB.GetAsync(url).ReadDataAsync()).GetArrayLength());
        await ownerOnA.PatchJsonAsync($"{url}/{integrationId}", new { metadata = new { label = "on-a" } }).ReadDataAsync();
        await EventuallyAsync(async () => (await ownerOnB.GetAsync(url).ReadDataAsync())[0].GetProperty("metadata").TryGetProperty("label", out var label)
            && label.GetString() == "on-a", "B to see the integration changed on A");

        await ProjectScenario.CreateIntegrationAsync(ownerOnA, tenantId, ProjectScenario.Id(await ProjectScenario.CreateProviderAsync(admin)));
        await EventuallyAsync(async () => (await ownerOnB.GetAsync(url).ReadDataAsync()).GetArrayLength() == 2, "B to see the integration created on A");
    }

    [Fact(Skip = TwoInstancesFixture.PostgresOnly, SkipUnless = nameof(IsPostgresRun))]
    public async Task RecurringJob_RunsOncePerOccurrence_AcrossBothInstances()
    {
        await fixture.EnsureBothRunningAsync();
        var servers = fixture.Monitoring.Servers();
        Assert.All(fixture.Instances, i => Assert.Contains(servers, s => fixture.InstanceOf(s.Name) == i));

        var since = DateTime.UtcNow;
        var runs = await WaitForAsync(() =>
        {
            var succeeded = RetentionJobsSince(since);
            return succeeded.Count >= 3 ? succeeded : null;
        }, "three audit-log retention runs");

        // Each occurrence of the schedule produced one job, and each job was processed once, by one instance.
        var occurrences = runs.Select(r => Value(r.Details.Properties, "Time")).ToList();
        Assert.All(occurrences, Assert.NotNull);
        Assert.Equal(occurrences.Count, occurrences.Distinct().Count());
        foreach (var (id, details) in runs)
        {
            var processing = details.History.Where(h => h.StateName == "Processing").ToList();
            Assert.True(processing.Count == 1, $"job {id} was processed {processing.Count} times");
            Assert.NotNull(fixture.InstanceOf(Value(processing[0].Data, "ServerId")));
        }
    }

    [Fact(Skip = TwoInstancesFixture.PostgresOnly, SkipUnless = nameof(IsPostgresRun))]
    public async Task InstanceKilledMidJob_TheOtherFinishesIt()
    {
        await fixture.EnsureBothRunningAsync();
        await using var db = await fixture.OpenDatabaseAsync();
        await using var hold = await db.BeginTransactionAsync();
        // The token refresh job starts by reading cloud_integrations; while this lock is held it cannot get past that.
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE cloud_integrations IN ACCESS EXCLUSIVE MODE", db, hold))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var jobId = new RecurringJobManager(fixture.Jobs).TriggerJob(TokenRefreshJob.RecurringJobId);
        var first = await WaitForAsync(() =>
        {
            var details = fixture.Monitoring.JobDetails(jobId);
            var processing = details?.History.FirstOrDefault(h => h.StateName == "Processing");
            return fixture.InstanceOf(Value(processing?.Data, "ServerId"));
        }, "the triggered job to be picked up");
        await WaitForAsync(async () => await BlockedOnLockAsync() ? "blocked" : null, "the job to wait for the table lock");

        await first.KillAsync();
        await hold.RollbackAsync();
        var clock = Stopwatch.StartNew();

        var finished = await WaitForAsync(() =>
        {
            var details = fixture.Monitoring.JobDetails(jobId);
            return details?.History.Any(h => h.StateName == "Succeeded") == true ? details : null;
        }, "the job to be finished by the surviving instance");
        var processed = finished.History.Where(h => h.StateName == "Processing")
            .Select(h => fixture.InstanceOf(Value(h.Data, "ServerId"))).ToList();
        Assert.Contains(first, processed);
        Assert.Contains(fixture.Instances.Single(i => i != first), processed);
        Assert.True(clock.Elapsed < Patience, $"took {clock.Elapsed}");
        first.Launch(); // back for any later test (EnsureBothRunningAsync waits for it)
    }

    private static string? Value(IDictionary<string, string>? values, string key) =>
        values is not null && values.TryGetValue(key, out var value) ? value : null;

    private static async Task<List<(string ProjectId, string Role)>> ProjectRolesAsync(HttpClient client)
    {
        var roles = await client.GetAsync("/api/v1/users/me/roles").ReadDataAsync();
        return [.. roles.GetProperty("projectRoles").EnumerateArray()
            .Select(r => (r.GetProperty("projectId").GetString()!, r.GetProperty("role").GetString()!))];
    }

    private List<(string Id, JobDetailsDto Details)> RetentionJobsSince(DateTime since)
    {
        var monitoring = fixture.Monitoring;
        return [.. monitoring.SucceededJobs(0, 200)
            .Select(j => (j.Key, Details: monitoring.JobDetails(j.Key)))
            .Where(j => j.Details?.CreatedAt >= since &&
                        Value(j.Details.Properties, "RecurringJobId")?.Trim('"') == AuditLogRetentionJob.RecurringJobId)];
    }

    private async Task<bool> BlockedOnLockAsync()
    {
        await using var connection = await fixture.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%cloud_integrations%'",
            connection);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what) =>
        await WaitForAsync(async () => await condition() ? what : null, what);

    private static Task<T> WaitForAsync<T>(Func<T?> probe, string what) where T : class =>
        WaitForAsync(() => Task.FromResult(probe()), what);

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what) where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what} after {Patience}");
            }

            await Task.Delay(100);
        }
    }
}
