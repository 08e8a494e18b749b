using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using Mwap.FakeProviders.Webhooks;

namespace Mwap.Api.IntegrationTests.Features.Providers;

/// <summary>Webhooks on, and the job server running (a notification becomes a queued sync).</summary>
public sealed class WebhooksApiFactory : ConnectFlowApiFactory
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["CloudProviders:AllowInsecureUrls"] = "true",
        ["OAuth:RedirectUri"] = RedirectUri,
        ["OAuth:FrontendOrigin"] = FrontendOrigin,
        ["Providers:RetryBaseDelayMilliseconds"] = "20",
        ["Webhooks:PublicBaseUrl"] = "https://mwap.example.com",
        ["Jobs:Enabled"] = "true",
        ["Jobs:PollIntervalSeconds"] = "1",
    };
}

/// <summary>
/// Issue 12 item 11 (Dropbox): the challenge, the signature check, coalescing, and the time from a change at the fake
/// to the file in <c>GET /projects/{id}/files</c> (printed, not asserted).
/// </summary>
public sealed class DropboxWebhookTests(WebhooksApiFactory factory) : IClassFixture<WebhooksApiFactory>
{
    private const string HookPath = "/api/v1/webhooks/dropbox";

    [Fact]
    public async Task Verification_EchoesTheChallengeAsText()
    {
        var response = await factory.CreateClient().GetAsync(HookPath + "?challenge=abc123XYZ");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("abc123XYZ", await response.Content.ReadAsStringAsync());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        await (await factory.CreateClient().GetAsync(HookPath)).AssertErrorAsync(HttpStatusCode.BadRequest, "webhooks/invalid-input");
    }

    [Fact]
    public async Task UnsignedOrForgedNotifications_Are401_AndQueueNothing()
    {
        var (connection, _) = await ConnectedAsync();
        var before = await SyncStateAsync(connection.IntegrationId);
        var hook = factory.Fake.Dropbox.DropboxWebhook;
        var (body, signature) = hook.Notification();
        var (_, forged) = hook.Notification("not-the-app-secret");

        await (await PostAsync(body, null)).AssertErrorAsync(HttpStatusCode.Unauthorized, "webhooks/invalid-signature");
        await (await PostAsync(body, forged)).AssertErrorAsync(HttpStatusCode.Unauthorized, "webhooks/invalid-signature");
        await (await PostAsync(body, "zz" + signature[2..])).AssertErrorAsync(HttpStatusCode.Unauthorized, "webhooks/invalid-signature");
        await (await PostAsync(body + " ", signature)).AssertErrorAsync(HttpStatusCode.Unauthorized, "webhooks/invalid-signature");
        await (await PostAsync("not json", DropboxWebhook.Sign("not json", factory.Fake.Dropbox.ClientSecret)))
            .AssertErrorAsync(HttpStatusCode.BadRequest, "webhooks/invalid-input");

        Assert.Equal(before, await SyncStateAsync(connection.IntegrationId));
    }

    [Fact]
    public async Task NotificationsWhileASyncIsQueued_QueueNothingMore_AndAFloodQueuesFew()
    {
        var (connection, _) = await ConnectedAsync();
        var (body, signature) = factory.Fake.Dropbox.DropboxWebhook.Notification();

        // A sync is queued (and has not started): forty notifications join it and queue nothing.
        var jobs = factory.Services.GetRequiredService<IBackgroundJobClient>();
        var waiting = jobs.Schedule<Mwap.Api.Features.Files.Sync.FileSyncJob>(
            job => job.SyncIntegrationAsync(connection.IntegrationId, false, CancellationToken.None), TimeSpan.FromHours(1));
        await factory.WithDbAsync(db => db.Set<Mwap.Api.Features.Integrations.CloudIntegration>().Where(i => i.Id == connection.IntegrationId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Sync.JobId, waiting).SetProperty(i => i.Sync.State, Mwap.Api.Features.Integrations.SyncStates.Queued)));
        Assert.Equal(0, await QueuedAsync(await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => PostAsync(body, signature)))));
        jobs.Delete(waiting);

        // From idle, a burst queues one sync, plus at most one behind each sync that starts meanwhile (each waits for the
        // running one: the lease lets one run at a time). Forty notifications in a few seconds queue a handful, not forty.
        await factory.WithDbAsync(db => db.Set<Mwap.Api.Features.Integrations.CloudIntegration>().Where(i => i.Id == connection.IntegrationId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Sync.JobId, (string?)null)
                .SetProperty(i => i.Sync.State, Mwap.Api.Features.Integrations.SyncStates.Succeeded)));
        Assert.InRange(await QueuedAsync(await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => PostAsync(body, signature)))), 1, 10);
    }

    private static async Task<int> QueuedAsync(HttpResponseMessage[] responses)
    {
        var queued = 0;
        foreach (var response in responses)
        {
            var data = await response.ReadDataAsync();
            Assert.Equal(1, data.GetProperty("integrations").GetInt32());
            queued += data.GetProperty("syncsQueued").GetInt32();
        }

        return queued;
    }

    [Fact]
    public async Task ChangeAtTheProvider_ReachesTheProjectFiles_ThroughTheWebhook()
    {
        var (connection, projectId) = await ConnectedAsync();
        var fake = factory.Fake.Dropbox;
        Assert.True(await fake.DropboxWebhook.RegisterAsync(HookPath, factory.CreateClient()));
        var folder = fake.Files.FindByPath("/Projects/Shoot1")!;
        var timings = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var name = $"fresh-{i:D2}-{Guid.NewGuid():N}.txt"[..20] + ".txt";
            var clock = Stopwatch.StartNew();
            fake.Files.AddFile(folder, name);
            await WaitForFileAsync(connection.Owner, projectId, name);
            timings.Add(clock.Elapsed.TotalMilliseconds);
        }

        timings.Sort();
        var median = (timings[9] + timings[10]) / 2;
        var line = $"webhook latency ({factory.Database.Provider}): median {median:F0} ms, min {timings[0]:F0} ms, max {timings[^1]:F0} ms over 20 changes";
        TestContext.Current.SendDiagnosticMessage(line);
        if (Environment.GetEnvironmentVariable("MWAP_BENCH_OUT") is { Length: > 0 } output)
        {
            await File.AppendAllTextAsync(output, line + Environment.NewLine);
        }

        Assert.True(fake.DropboxWebhook.Delivered >= 1);
    }

    /// <summary>A fresh Dropbox account (so notifications name this test's integration only), synced, with a project on /Projects/Shoot1.</summary>
    private async Task<(Connection Connection, string ProjectId)> ConnectedAsync()
    {
        var fake = factory.Fake.Dropbox;
        fake.Account = fake.Account with { Id = "dbid:" + Guid.NewGuid().ToString("N") };
        fake.Files.Clear();
        fake.Files.AddFile(fake.Files.AddFolder("/Projects/Shoot1"), "a.txt");
        var connection = await Connection.CreateAsync(factory, FakeProvider.Dropbox);
        Assert.StartsWith("/api/v1/oauth/success", await connection.ConnectAsync(factory), StringComparison.Ordinal);
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var typeId = (await admin.CreateProjectTypeAsync()).GetProperty("_id").GetString()!;
        var projectId = (await connection.Owner.PostJsonAsync("/api/v1/projects", new
        {
            tenantId = connection.TenantId,
            projectTypeId = typeId,
            cloudIntegrationId = connection.IntegrationId,
            folderpath = "/Projects/Shoot1",
            name = TestUsers.UniqueName("Project"),
        }).ReadDataAsync(HttpStatusCode.Created)).GetProperty("_id").GetString()!;
        await WaitForFileAsync(connection.Owner, projectId, "a.txt"); // the connect flow's own full sync (a job)
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await SyncStateAsync(connection.IntegrationId) != Mwap.Api.Features.Integrations.SyncStates.Succeeded)
        {
            await Task.Delay(25, timeout.Token);
        }

        return (connection, projectId);
    }

    private static async Task WaitForFileAsync(HttpClient owner, string projectId, string name)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var response = await owner.GetAsync($"/api/v1/projects/{projectId}/files", timeout.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
                if (json.RootElement.GetProperty("data").EnumerateArray().Any(f => f.GetProperty("name").GetString() == name))
                {
                    return;
                }
            }

            await Task.Delay(25, timeout.Token);
        }
    }

    private Task<HttpResponseMessage> PostAsync(string body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, HookPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.Add("X-Dropbox-Signature", signature);
        }

        return factory.CreateClient().SendAsync(request);
    }

    private async Task<string> SyncStateAsync(string integrationId) => (await Files.FileSyncHarness.SyncStateAsync(factory, integrationId)).State;
}

/// <summary>Without <c>Webhooks:PublicBaseUrl</c> the routes do not answer.</summary>
public sealed class WebhooksOffTests(ConnectFlowApiFactory factory) : IClassFixture<ConnectFlowApiFactory>
{
    [Fact]
    public async Task WebhookRoutes_Are404_WhenNoPublicBaseUrlIsSet()
    {
        await (await factory.CreateClient().GetAsync("/api/v1/webhooks/dropbox?challenge=x")).AssertErrorAsync(HttpStatusCode.NotFound, "webhooks/disabled");
        var post = await factory.CreateClient().PostAsync("/api/v1/webhooks/dropbox", new StringContent("{}", Encoding.UTF8, "application/json"));
        await post.AssertErrorAsync(HttpStatusCode.NotFound, "webhooks/disabled");
    }
}
