using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Webhooks;
using Mwap.Api.IntegrationTests.Features.Providers;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;

namespace Mwap.Api.IntegrationTests.Features.Webhooks;

/// <summary>Connecting with webhooks on, and reading the subscription both sides hold.</summary>
internal static class ChangeNotificationHarness
{
    public const string PublicBaseUrl = "https://mwap.example.com";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static readonly TheoryData<FakeProvider> Providers = [FakeProvider.Microsoft, FakeProvider.Google];

    /// <summary>The fakes deliver validation requests and notifications into this test host (the public URL's host is not resolvable).</summary>
    public static void RouteNotificationsTo(WebhooksApiFactory factory)
    {
        factory.Fake.Microsoft.GraphSubscriptions.Transport = factory.CreateClient();
        factory.Fake.Google.DriveChannels.Transport = factory.CreateClient();
    }

    /// <summary>A connected integration whose subscription exists (the connect flow queued its creation), on a fresh tree with /Projects/Shoot1/a.txt.</summary>
    public static async Task<(Connection Connection, ChangeSubscription Row)> ConnectAsync(WebhooksApiFactory factory, FakeProvider provider)
    {
        var fake = factory.Fake[provider];
        fake.Files.Clear();
        fake.Files.AddFile(fake.Files.AddFolder("/Projects/Shoot1"), "a.txt");
        var connection = await Connection.CreateAsync(factory, provider);
        Assert.StartsWith("/api/v1/oauth/success", await connection.ConnectAsync(factory), StringComparison.Ordinal);
        var row = await WaitForAsync(() => RowAsync(factory, connection.IntegrationId), "the subscription row", factory);
        return (connection, row);
    }

    public static Task<ChangeSubscription?> RowAsync(MwapApiFactory factory, string integrationId) =>
        factory.WithDbAsync(db => db.Set<ChangeSubscription>().AsNoTracking().Where(s => s.IntegrationId == integrationId)
            .OrderByDescending(s => s.ExpiresAt).FirstOrDefaultAsync());

    public static Task<List<ChangeSubscription>> RowsAsync(MwapApiFactory factory, string integrationId) =>
        factory.WithDbAsync(db => db.Set<ChangeSubscription>().AsNoTracking().Where(s => s.IntegrationId == integrationId).ToListAsync());

    /// <summary>The secret the fake was given for this subscription or channel (only the provider and the notifications carry it).</summary>
    public static string? SecretAtTheFake(WebhooksApiFactory factory, ChangeSubscription row) => row.Kind == ChangeSubscriptionKinds.Microsoft
        ? factory.Fake.Microsoft.GraphSubscriptions.Live.SingleOrDefault(s => s.Id == row.ExternalId)?.ClientState
        : factory.Fake.Google.DriveChannels.Live.SingleOrDefault(c => c.Id == row.ExternalId)?.Token;

    /// <summary>A project on /Projects/Shoot1 whose first file is listed (the connect flow's own full sync has run).</summary>
    public static async Task<string> ProjectAsync(WebhooksApiFactory factory, Connection connection)
    {
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
        await WaitForFileAsync(connection.Owner, projectId, "a.txt");
        await WaitForAsync(async () => await SyncStateAsync(factory, connection.IntegrationId) == SyncStates.Succeeded ? "done" : null, "the first sync");
        return projectId;
    }

    public static async Task<string> SyncStateAsync(MwapApiFactory factory, string integrationId) =>
        (await Files.FileSyncHarness.SyncStateAsync(factory, integrationId)).State;

    public static async Task WaitForFileAsync(HttpClient owner, string projectId, string name) =>
        await WaitForAsync(async () =>
        {
            var response = await owner.GetAsync($"/api/v1/projects/{projectId}/files");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("data").EnumerateArray().Any(f => f.GetProperty("name").GetString() == name) ? name : null;
        }, "file " + name);

    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what, MwapApiFactory? host = null)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            try
            {
                await Task.Delay(25, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // The server's warnings say why (a failed provider call is logged, never thrown at the job).
                var warnings = host is null ? "" : string.Join("\n", host.Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning)
                    .TakeLast(10).Select(e => e.AllText));
                throw new TimeoutException($"Waited {Patience.TotalSeconds:F0} s for {what}\n{warnings}");
            }
        }
    }
}
