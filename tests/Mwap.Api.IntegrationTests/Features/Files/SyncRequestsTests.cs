using System.Net;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.Features.Files;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using static Mwap.Api.IntegrationTests.Features.Files.FileSyncHarness;

namespace Mwap.Api.IntegrationTests.Features.Files;

/// <summary>Issue 11 item 13: sync requests coalesce into the queued or running job, and are limited per integration.</summary>
public sealed class SyncRequestsTests(FileSyncApiFactory factory) : IClassFixture<FileSyncApiFactory>
{
    private static async Task<(string JobId, bool Full, bool Coalesced)> RequestAsync(Connection connection, string query = "", string mount = "integrations")
    {
        var url = connection.IntegrationUrl.Replace("/integrations/", $"/{mount}/", StringComparison.Ordinal) + "/sync" + query;
        var data = await connection.Owner.PostAsync(url, null).ReadDataAsync(HttpStatusCode.Accepted);
        return (data.GetProperty("jobId").GetString()!, data.GetProperty("full").GetBoolean(), data.GetProperty("coalesced").GetBoolean());
    }

    /// <summary>Connects, and lets the full sync the connect queued finish (this factory runs no job workers).</summary>
    private async Task<Connection> ConnectedAsync(FakeProvider provider)
    {
        var connection = await ConnectAsync(factory, provider);
        var jobId = (await SyncStateAsync(factory, connection.IntegrationId)).JobId;
        Assert.NotNull(jobId);
        factory.Services.GetRequiredService<IBackgroundJobClient>().ChangeState(jobId, new SucceededState(null, 1, 1));
        return connection;
    }

    [Fact]
    public async Task Connect_QueuesItsFullSync_ThroughTheSameCoalescing()
    {
        var connection = await ConnectAsync(factory, FakeProvider.Dropbox);
        var state = await SyncStateAsync(factory, connection.IntegrationId);
        Assert.Equal("queued", state.State);

        // The owner's first "sync now" and a full one are both served by the connect's full sync: no second job.
        Assert.Equal((state.JobId, true, true), await RequestAsync(connection));
        Assert.Equal((state.JobId, true, true), await RequestAsync(connection, "?full=true"));
    }

    [Fact]
    public async Task WhileASyncIsQueued_RequestsGetItsJob_AndAFullRequestNeedsAFullJob()
    {
        var connection = await ConnectedAsync(FakeProvider.Dropbox);

        var first = await RequestAsync(connection);
        var again = await RequestAsync(connection);
        var alias = await RequestAsync(connection, mount: "cloud-integrations");
        var full = await RequestAsync(connection, "?full=true");
        var afterFull = await RequestAsync(connection);

        Assert.False(first.Coalesced);
        Assert.Equal((first.JobId, false, true), again);
        Assert.Equal((first.JobId, false, true), alias);
        Assert.NotEqual(first.JobId, full.JobId);
        Assert.Equal((true, false), (full.Full, full.Coalesced));
        Assert.Equal((full.JobId, true, true), afterFull);
    }

    [Fact]
    public async Task SimultaneousRequests_EnqueueOneJob()
    {
        var connection = await ConnectedAsync(FakeProvider.Google);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => RequestAsync(connection)));

        Assert.Single(results.Select(r => r.JobId).Distinct());
        Assert.Single(results, r => !r.Coalesced);
    }

    [Fact]
    public async Task AFinishedJob_IsNotReused_AndARunningOne_ServesOwnersButNotWebhooks()
    {
        var connection = await ConnectedAsync(FakeProvider.Microsoft);
        var jobs = factory.Services.GetRequiredService<IBackgroundJobClient>();

        var first = await RequestAsync(connection);
        jobs.ChangeState(first.JobId, new SucceededState(null, 1, 1));
        var second = await RequestAsync(connection);
        Assert.NotEqual(first.JobId, second.JobId);
        Assert.False(second.Coalesced);

        jobs.ChangeState(second.JobId, new RunningState());
        Assert.Equal((second.JobId, false, true), await RequestAsync(connection));
        await using var scope = factory.Services.CreateAsyncScope();
        var webhook = await scope.ServiceProvider.GetRequiredService<SyncRequests>()
            .RequestAsync(connection.IntegrationId, SyncRequestReason.Webhook, full: false, CancellationToken.None);
        Assert.NotEqual(second.JobId, webhook.JobId);
        Assert.False(webhook.Coalesced);
        Assert.Equal((webhook.JobId, false, true), await RequestAsync(connection));
    }

    [Fact]
    public async Task SyncRequests_AreLimitedPerIntegration_TwelveAnHourByDefault()
    {
        var connection = await ConnectedAsync(FakeProvider.Dropbox);
        var other = await ConnectedAsync(FakeProvider.Dropbox);

        for (var i = 0; i < 12; i++)
        {
            await RequestAsync(connection, mount: i % 2 == 0 ? "integrations" : "cloud-integrations");
        }

        var refused = await connection.Owner.PostAsync(connection.IntegrationUrl + "/sync", null);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(50));
        await refused.AssertErrorAsync(HttpStatusCode.TooManyRequests, "rate-limit/exceeded");
        Assert.False((await RequestAsync(other)).Coalesced);
    }

    [Fact]
    public async Task AJobThatFinishesBeforeTheRequestRecordsIt_LeavesItsStateShown_NotQueued()
    {
        var connection = await ConnectedAsync(FakeProvider.Dropbox);
        await using var scope = factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        // A worker that picks the job up and finishes it between the enqueue and the request's own last write.
        var racingWorker = new WorkerFinishingOnEnqueue(services.GetRequiredService<IBackgroundJobClient>(), () =>
            factory.WithDbAsync(db => db.Set<Mwap.Api.Features.Integrations.CloudIntegration>().Where(i => i.Id == connection.IntegrationId)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Sync.State, Mwap.Api.Features.Integrations.SyncStates.Succeeded))));
        var requests = new SyncRequests(services.GetRequiredService<Mwap.Api.Infrastructure.Persistence.MwapDbContext>(), racingWorker,
            services.GetRequiredService<JobStorage>(), services.GetRequiredService<Mwap.Api.Features.Integrations.IntegrationReadCache>(), TimeProvider.System);

        var result = await requests.RequestAsync(connection.IntegrationId, SyncRequestReason.Owner, full: false, CancellationToken.None);

        var state = await SyncStateAsync(factory, connection.IntegrationId);
        Assert.Equal(result.JobId, state.JobId);
        Assert.Equal("succeeded", state.State);
    }

    private sealed class WorkerFinishingOnEnqueue(IBackgroundJobClient inner, Func<Task<int>> finish) : IBackgroundJobClient
    {
        public string Create(Hangfire.Common.Job job, IState state)
        {
            var id = inner.Create(job, state);
            finish().GetAwaiter().GetResult();
            return id;
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => inner.ChangeState(jobId, state, expectedState);
    }

    /// <summary>Hangfire's "Processing", as a worker sets it when it picks the job up (its own type has no public constructor).</summary>
    private sealed class RunningState : IState
    {
        public string Name => ProcessingState.StateName;

        public string Reason => "picked up by a test worker";

        public bool IsFinal => false;

        public bool IgnoreJobLoadException => false;

        public Dictionary<string, string> SerializeData() => new() { ["ServerId"] = "test-server", ["WorkerId"] = "worker-1" };
    }
}
