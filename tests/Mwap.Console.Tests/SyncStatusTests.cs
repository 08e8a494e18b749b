using System.Net;
using System.Text.Json;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;
using Mwap.WebConsole.Components;
using Mwap.WebConsole.Services;

namespace Mwap.Console.Tests;

public sealed class SyncStatusTests : BunitContext
{
    private const string TenantId = "6b0cc46f5a9c97a6bac22d00";
    private const string IntegrationId = "6b0cc46f5a9c97a6bac22d01";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 31, 12, 0, 0, TimeSpan.Zero));

    public SyncStatusTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<TimeProvider>(_time);
    }

    private static Integration Integration(string state, long files) => new(IntegrationId, TenantId, "p", null, "active", null, [], null, null, null,
        new IntegrationSync(state, null, null, null, files, new DateTime(2026, 3, 31, 11, 59, 0, DateTimeKind.Utc)));

    private static string Answer(string state, long files) => JsonSerializer.Serialize(new
    {
        success = true,
        data = new { _id = IntegrationId, tenantId = TenantId, providerId = "p", status = "active", syncStatus = new { state, filesIndexed = files } },
    });

    /// <summary>Answers each poll with the next state, the last one for ever.</summary>
    private StubApi Serve(params string[] states)
    {
        var stub = new StubApi(_ =>
        {
            var n = Math.Min(_polls++, states.Length - 1);
            return (HttpStatusCode.OK, Answer(states[n], states[n] == "succeeded" ? 1000 : 0));
        });
        Services.AddSingleton(new ApiClient(stub.Client(), new FixedToken()));
        return stub;
    }

    private int _polls;

    private void Tick(IRenderedComponent<SyncStatus> cut)
    {
        _time.Advance(SyncStatus.PollInterval);
        // Runs whatever the tick queued on the renderer's dispatcher before we look.
        cut.Render();
    }

    [Fact]
    public void ARunningSync_IsPolledUntilItEnds_ThenPollingStops()
    {
        var stub = Serve("running", "running", "succeeded");
        Integration? finished = null;

        var cut = Render<SyncStatus>(p => p.Add(c => c.TenantId, TenantId).Add(c => c.Integration, Integration("running", 0))
            .Add(c => c.Finished, (Integration i) => finished = i));
        Assert.Single(cut.FindAll("[data-test=integration-sync-progress]"));
        Assert.Equal("true", cut.Find("[data-test=integration-sync]").GetAttribute("data-polling"));
        Assert.Empty(stub.Requests);

        for (var expected = 1; expected <= 3; expected++)
        {
            Tick(cut);
            var count = expected;
            cut.WaitForAssertion(() => Assert.Equal(count, stub.Requests.Count), TimeSpan.FromSeconds(60));
        }

        cut.WaitForAssertion(() => Assert.Equal("succeeded", finished?.SyncStatus?.State), TimeSpan.FromSeconds(60));
        Assert.Equal("false", cut.Find("[data-test=integration-sync]").GetAttribute("data-polling"));
        Assert.Empty(cut.FindAll("[data-test=integration-sync-progress]"));
        Assert.Contains("1,000 files indexed", cut.Find("[data-test=integration-sync]").TextContent, StringComparison.Ordinal);
        Assert.All(stub.Requests, r => Assert.Equal($"/api/v1/tenants/{TenantId}/integrations/{IntegrationId}", r.AbsolutePath));

        Tick(cut);
        Tick(cut);
        Tick(cut);
        Assert.Equal(3, stub.Requests.Count);
    }

    [Fact]
    public async Task LeavingThePage_StopsPolling()
    {
        var stub = Serve("running");
        var cut = Render<SyncStatus>(p => p.Add(c => c.TenantId, TenantId).Add(c => c.Integration, Integration("queued", 0)));
        Tick(cut);
        cut.WaitForAssertion(() => Assert.Single(stub.Requests), TimeSpan.FromSeconds(60));

        await DisposeComponentsAsync();
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(SyncStatus.PollInterval);
            await Renderer.Dispatcher.InvokeAsync(() => { });
        }

        Assert.Single(stub.Requests);
    }

    [Fact]
    public void AFinishedSync_IsNotPolled()
    {
        var stub = Serve("succeeded");

        var cut = Render<SyncStatus>(p => p.Add(c => c.TenantId, TenantId).Add(c => c.Integration, Integration("succeeded", 12)));
        Tick(cut);

        Assert.Equal("false", cut.Find("[data-test=integration-sync]").GetAttribute("data-polling"));
        Assert.Empty(stub.Requests);
    }
}
