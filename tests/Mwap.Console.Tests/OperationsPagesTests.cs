using System.Net;
using System.Text.Json;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Mwap.WebConsole.Pages.Operations;
using Mwap.WebConsole.Services;

namespace Mwap.Console.Tests;

public sealed class JobsPageTests : BunitContext
{
    private readonly List<(string Method, string Path)> _calls = [];

    public JobsPageTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        var stub = new StubApi(request =>
        {
            lock (_calls)
            {
                _calls.Add((request.Method.Method, request.RequestUri!.AbsolutePath));
            }

            return request.Method == HttpMethod.Post
                ? (HttpStatusCode.Accepted, """{"success":true,"data":{"recurringJobId":"file-sync","jobId":"77"}}""")
                : (HttpStatusCode.OK, Report);
        });
        Services.AddSingleton(new ApiClient(stub.Client(), new FixedToken()));
    }

    private static string Report => JsonSerializer.Serialize(new
    {
        success = true,
        data = new
        {
            serversOnline = 1,
            recurring = new object[]
            {
                new { id = "file-sync", cron = "*/10 * * * *", timeZone = "UTC", nextExecution = "2026-11-30T07:10:00Z", lastExecution = "2026-11-30T07:00:00Z", lastJobId = "70", lastJobState = "Succeeded", error = (string?)null },
                new { id = "maintenance", cron = "0 3 * * 0", timeZone = "UTC", nextExecution = "2026-12-06T03:00:00Z", lastExecution = (string?)null, lastJobId = (string?)null, lastJobState = (string?)null, error = (string?)null },
            },
            failedCount = 1,
            recentFailures = new[] { new { jobId = "12", job = "FileSyncJob.RunAsync", recurringJobId = "file-sync", failedAt = "2026-11-30T06:00:00Z", exceptionType = "System.TimeoutException", exceptionMessage = "The provider did not answer" } },
        },
    });

    private List<(string Method, string Path)> Calls()
    {
        lock (_calls)
        {
            return [.. _calls];
        }
    }

    [Fact]
    public void Report_ShowsEachJobsSchedule_State_AndTheFailures()
    {
        var cut = Render<JobsPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-test=job-row]").Count));
        var sync = cut.Find("[data-test=job-row][data-job=file-sync]").TextContent;
        Assert.Contains("2026-11-30 07:10:00", sync, StringComparison.Ordinal);
        Assert.Contains("Succeeded", sync, StringComparison.Ordinal);
        Assert.Contains("never ran", cut.Find("[data-test=job-row][data-job=maintenance]").TextContent, StringComparison.Ordinal);
        Assert.Contains("The provider did not answer", cut.Find("[data-test=job-failure]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Trigger_AsksFirst_SendsNothingOnCancel_AndQueuesTheJobOnYes()
    {
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<JobsPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-test=job-trigger]").Count));

        cut.Find("[data-test=job-row][data-job=file-sync] [data-test=job-trigger]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Run file-sync now?", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Run file-sync now?", dialogs.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain(Calls(), c => c.Method == "POST");

        cut.Find("[data-test=job-row][data-job=file-sync] [data-test=job-trigger]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Run file-sync now?", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Trigger").Click();

        cut.WaitForAssertion(() => Assert.Contains("was queued as job 77", cut.Find("[data-test=job-triggered]").TextContent, StringComparison.Ordinal));
        Assert.Equal([("POST", "/api/v1/admin/jobs/file-sync/trigger")], Calls().Where(c => c.Method == "POST"));
    }
}

public sealed class MonitoringPageTests : BunitContext
{
    public MonitoringPageTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    [Fact]
    public void Integrations_AreCountedAndCharted_WhileADatabaseErrorIsShownBesideThem()
    {
        var stub = new StubApi(request => request.RequestUri!.AbsolutePath.EndsWith("/integrations", StringComparison.Ordinal)
            ? (HttpStatusCode.OK, """
                {"success":true,"data":{"total":3,"byStatus":{"active":2,"error":1},"byHealth":{"healthy":2,"unhealthy":1},
                 "providers":[{"provider":"dropbox","total":2,"byStatus":{"active":2},"byHealth":{"healthy":2}},
                              {"provider":"google-drive","total":1,"byStatus":{"error":1},"byHealth":{"unhealthy":1}}],
                 "oldestHealthCheck":"2026-11-30T05:00:00Z","tokensExpiringWithinHour":1,"tokensAlreadyExpired":0,
                 "failing":[{"id":"i1","tenantId":"t1","provider":"google-drive","status":"error","healthStatus":"unhealthy","errorCount":4,"lastError":"invalid_grant","lastCheck":"2026-11-30T05:00:00Z"}],
                 "generatedAt":"2026-11-30T06:00:00Z"}}
                """)
            : (HttpStatusCode.Forbidden, """{"success":false,"error":{"code":"auth/insufficient-permissions","message":"SuperAdmin access required","traceId":"t"}}"""));
        Services.AddSingleton(new ApiClient(stub.Client(), new FixedToken()));

        var cut = Render<MonitoringPage>();

        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-test=figure-integrations] [data-test=figure-value]").TextContent.Trim()));
        Assert.Equal(["active: 2", "error: 1"], cut.FindAll("[data-test=status-count]").Select(c => c.TextContent.Trim()));
        Assert.NotEmpty(cut.FindAll("[data-test=chart-status] svg"));
        Assert.Contains("invalid_grant", cut.Find("[data-test=failing-row]").TextContent, StringComparison.Ordinal);
        Assert.Equal("SuperAdmin access required", cut.Find("[data-test=api-error-message]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-test=monitoring-database]"));
    }
}
