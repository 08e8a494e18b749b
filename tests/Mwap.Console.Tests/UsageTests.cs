using System.Net;
using System.Text.Json;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;
using Mwap.WebConsole.Pages;
using Mwap.WebConsole.Services;

namespace Mwap.Console.Tests;

public sealed class UsageChartsTests
{
    private static UsageDay Day(string day, long files, int members, long requests, params (string Slug, long Bytes)[] storage) =>
        new(day, 1000 + requests, requests, files, storage.Sum(s => s.Bytes),
            storage.ToDictionary(s => s.Slug, s => new ProviderStorage(files, s.Bytes)), members, 1, 1, null);

    [Fact]
    public void EveryDayOfTheRange_IsOnTheAxis_AndDaysWithoutARowStayEmpty()
    {
        var report = new UsageReport("t", "2026-03-01", "2026-03-07", null,
            [Day("2026-03-02", 10, 2, 5, ("dropbox", 1024 * 1024)), Day("2026-03-05", 12, 3, 7, ("dropbox", 3 * 1024 * 1024), ("google", 512 * 1024))]);

        var charts = UsageCharts.From(report);

        Assert.Equal(7, charts.Days.Count);
        Assert.Equal("2026-03-01", charts.Days[0]);
        Assert.Equal("2026-03-07", charts.Days[^1]);
        Assert.Equal([null, 10, null, null, 12, null, null], charts.Files.Values);
        Assert.Equal([null, 2, null, null, 3, null, null], charts.Members.Values);
        Assert.Equal([null, 1005, null, null, 1007, null, null], charts.Requests.Values);
        Assert.Equal("MB", charts.StorageUnit);
        Assert.Equal(["dropbox", "google"], charts.Storage.Select(s => s.Name));
        Assert.Equal([null, 1, null, null, 3, null, null], charts.Storage[0].Values);
        // A provider absent on a computed day had no storage that day: zero, not a gap.
        Assert.Equal([null, 0, null, null, 0.5, null, null], charts.Storage[1].Values);
    }

    [Theory]
    [InlineData(512L, "B", 512.0)]
    [InlineData(30L * 1024, "KB", 30.0)]
    [InlineData(3L << 30, "GB", 3.0)]
    public void Storage_IsDrawnInAUnitWhereTheBiggestDayIsAtLeastOne(long bytes, string unit, double value)
    {
        var charts = UsageCharts.From(new UsageReport("t", "2026-03-01", "2026-03-01", null, [Day("2026-03-01", 1, 1, 1, ("dropbox", bytes))]));

        Assert.Equal(unit, charts.StorageUnit);
        Assert.Equal([value], charts.Storage[0].Values);
    }

    [Fact]
    public void NinetyDays_AreLabelledSparsely_EndingOnTheLastDay()
    {
        var charts = UsageCharts.From(new UsageReport("t", "2026-01-01", "2026-03-31", null, []));

        Assert.Equal(90, charts.Labels.Count);
        Assert.Equal("03-31", charts.Labels[^1]);
        Assert.InRange(charts.Labels.Count(l => l.Length > 0), 6, 10);
        Assert.All(charts.Files.Values, v => Assert.Null(v));
        Assert.Empty(charts.Storage);
    }

    [Theory]
    [InlineData("reconsent-required", MudBlazor.Severity.Error)]
    [InlineData("unhealthy", MudBlazor.Severity.Warning)]
    [InlineData("sync-failing", MudBlazor.Severity.Warning)]
    [InlineData("something-new", MudBlazor.Severity.Info)]
    public void AlertConditions_HaveASeverity(string condition, MudBlazor.Severity severity) => Assert.Equal(severity, AlertSeverity.Of(condition));
}

public sealed class UsagePageTests : BunitContext
{
    private const string TenantId = "6b0cc46f5a9c97a6bac22d00";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 31, 12, 0, 0, TimeSpan.Zero));

    public UsagePageTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<TimeProvider>(_time);
    }

    private StubApi Serve(Func<string, string> usage)
    {
        var stub = new StubApi(request =>
        {
            var path = request.RequestUri!.AbsolutePath;
            return path.EndsWith("/users/me/roles", StringComparison.Ordinal)
                ? (HttpStatusCode.OK, JsonSerializer.Serialize(new { success = true, data = new { userId = "u", isSuperAdmin = false, isTenantOwner = true, tenantId = TenantId, projectRoles = Array.Empty<object>() } }))
                : (HttpStatusCode.OK, usage(request.RequestUri.Query));
        });
        Services.AddSingleton(new ApiClient(stub.Client(), new FixedToken()));
        Services.AddScoped<RolesState>();
        return stub;
    }

    private static string Report(string from, string to, params string[] days) => JsonSerializer.Serialize(new
    {
        success = true,
        data = new
        {
            tenantId = TenantId,
            from,
            to,
            current = days.Length == 0 ? null : Row(days[^1]),
            daily = days.Select(Row),
        },
    });

    private static object Row(string day) => new
    {
        day,
        providerRequests = 40,
        providerRequestsDelta = 4,
        filesIndexed = 62,
        storageUsed = 2048,
        storageByProvider = new Dictionary<string, object> { ["dropbox"] = new { files = 62, bytes = 2048 } },
        activeMembers = 2,
        projects = 1,
        integrations = 1,
        lastActivity = (string?)null,
        computedAt = "2026-03-31T01:00:00Z",
    };

    [Fact]
    public void DrawsTheFourCharts_ForTheLast30Days()
    {
        var stub = Serve(_ => Report("2026-03-02", "2026-03-31", "2026-03-30", "2026-03-31"));

        var cut = Render<UsagePage>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-test=usage-chart-files] svg")));
        foreach (var chart in new[] { "files", "storage", "requests", "members" })
        {
            Assert.Single(cut.FindAll($"[data-test=usage-chart-{chart}]"));
        }

        Assert.Contains("62", cut.Find("[data-test=usage-current]").TextContent, StringComparison.Ordinal);
        Assert.Contains(stub.Requests, r => r.AbsolutePath == $"/api/v1/tenants/{TenantId}/usage" && r.Query == "?from=2026-03-02&to=2026-03-31");
    }

    [Fact]
    public void NoRows_IsAnEmptyState_NotEmptyCharts()
    {
        Serve(_ => Report("2026-03-02", "2026-03-31"));

        var cut = Render<UsagePage>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-test=usage-empty]")));
        Assert.Empty(cut.FindAll("[data-test=usage-chart-files]"));
    }

    [Fact]
    public void ChoosingSevenDays_AsksForSevenDays()
    {
        var stub = Serve(q => q.Contains("from=2026-03-25", StringComparison.Ordinal)
            ? Report("2026-03-25", "2026-03-31", "2026-03-31")
            : Report("2026-03-02", "2026-03-31", "2026-03-31"));

        var cut = Render<UsagePage>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-test=usage-chart-files]")));
        cut.FindAll("[data-test=usage-range] .mud-toggle-item").Single(e => e.TextContent.Contains("7 days", StringComparison.Ordinal)).Click();

        cut.WaitForAssertion(() => Assert.Contains(stub.Requests, r => r.Query == "?from=2026-03-25&to=2026-03-31"));
        cut.WaitForAssertion(() => Assert.Contains("From 2026-03-25 to 2026-03-31", cut.Markup, StringComparison.Ordinal));
    }
}
