using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Sdk;
using Xunit.v3;

namespace Mwap.Console.EndToEnd;

/// <summary>
/// The superadmin's operations pages on the journey's server (same fixture, no second start): jobs with a trigger and
/// the dashboard, monitoring, the audit log filtered to an action, OAuth security; and a tenant owner's own audit log,
/// without the superadmin's entries in the menu. Independent of the journey's order (it creates what it reads), but run
/// after it so the screenshots show a platform with an integration in it.
/// </summary>
[TestMethodOrderer(typeof(JourneyFirst))]
public sealed partial class ConsoleJourneyTests
{
    [Fact]
    public async Task Operations_SuperadminTriggersAJob_ReadsMonitoringAndTheAuditLog_AnOwnerSeesTheirTenantsLog()
    {
        var admin = await server.SignInAsync(ConsoleServer.AdminSubject, "Ada Admin");

        // Jobs: the recurring jobs the server registered, one triggered after the confirmation, the dashboard in a new tab.
        await admin.Test("nav-admin-jobs").ClickAsync();
        var usage = admin.Locator("[data-test=job-row][data-job=usage-aggregation]");
        await Assertions.Expect(usage).ToBeVisibleAsync();
        await Assertions.Expect(admin.Test("job-row")).Not.ToHaveCountAsync(0);
        await usage.Locator("[data-test=job-trigger]").ClickAsync();
        await admin.Locator(".mud-dialog").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Trigger", Exact = true }).ClickAsync();
        await Assertions.Expect(admin.Test("job-triggered")).ToContainTextAsync("usage-aggregation was queued as job");
        await admin.ShotAsync("admin-jobs");
        var dashboard = await admin.RunAndWaitForPopupAsync(() => admin.Test("jobs-dashboard").ClickAsync());
        await dashboard.WaitForURLAsync(new Regex("/admin/jobs/$"));
        await Assertions.Expect(dashboard.Locator("body")).ToContainTextAsync("Recurring");
        await dashboard.CloseAsync();

        // Monitoring: this server's SQLite database and the integrations' figures.
        await admin.Test("nav-admin-monitoring").ClickAsync();
        await Assertions.Expect(admin.Locator("[data-test=figure-provider] [data-test=figure-value]")).ToHaveTextAsync("sqlite");
        await Assertions.Expect(admin.Locator("[data-test=chart-tables] svg").First).ToBeVisibleAsync();
        await Assertions.Expect(admin.Test("table-row").Filter(new LocatorFilterOptions { HasText = "audit_logs" })).ToHaveCountAsync(1);
        await admin.ShotAsync("admin-monitoring");

        // The audit log, filtered to the trigger just made; its details hold the queued job's id.
        await admin.Test("nav-admin-audit").ClickAsync();
        await Assertions.Expect(admin.Test("audit-row").First).ToBeVisibleAsync();
        await admin.FillTestAsync("audit-filter-action", "jobs.trigger");
        await admin.Test("audit-apply").ClickAsync();
        var rows = admin.Test("audit-row");
        await Assertions.Expect(rows.Filter(new LocatorFilterOptions { HasNotText = "jobs.trigger" })).ToHaveCountAsync(0);
        await Assertions.Expect(rows.Filter(new LocatorFilterOptions { HasText = "usage-aggregation" }).First).ToBeVisibleAsync();
        await rows.Filter(new LocatorFilterOptions { HasText = "usage-aggregation" }).First.Locator("[data-test=audit-toggle]").ClickAsync();
        await Assertions.Expect(admin.Test("audit-details-json").First).ToContainTextAsync("jobId");
        await admin.ShotAsync("admin-audit-log");

        await admin.Test("nav-admin-oauth-security").ClickAsync();
        await Assertions.Expect(admin.Test("oauth-risk")).ToHaveTextAsync("LOW");
        await Assertions.Expect(admin.Test("oauth-exposure-ok")).ToBeVisibleAsync();
        await admin.ShotAsync("admin-oauth-security");

        // A tenant owner: their tenant's log (its creation), and none of the superadmin's entries in the menu.
        var owner = await server.SignInAsync("auth0|e2e-auditor", "Audrey Auditor");
        await owner.Test("nav-create-tenant").ClickAsync();
        await owner.FillTestAsync("tenant-name", "Audited Ltd");
        await owner.Test("tenant-save").ClickAsync();
        await owner.WaitForURLAsync(new Regex("/app/integrations$"));
        await owner.Test("nav-tenant-audit").ClickAsync();
        await owner.WaitForURLAsync(new Regex("/app/tenants/[0-9a-f]{24}/audit-logs$"));
        await Assertions.Expect(owner.Locator("[data-test=audit-row][data-action='tenant.create']")).ToHaveCountAsync(1);
        await Assertions.Expect(owner.Test("audit-filter-tenant")).ToHaveCountAsync(0);
        await Assertions.Expect(owner.Test("nav-admin-jobs")).ToHaveCountAsync(0);
        await Assertions.Expect(owner.Test("nav-operations")).ToHaveCountAsync(0);
        await owner.ShotAsync("tenant-audit-log");
    }
}

/// <summary>The journey before the other methods of its class (which share its server), the rest by name.</summary>
public sealed class JourneyFirst : ITestMethodOrderer
{
    public IReadOnlyCollection<TTestMethod?> OrderTestMethods<TTestMethod>(IReadOnlyCollection<TTestMethod?> testMethods)
        where TTestMethod : notnull, ITestMethod =>
        [.. testMethods.OrderBy(m => m?.MethodName.StartsWith("Journey_", StringComparison.Ordinal) == true ? 0 : 1)
            .ThenBy(m => m?.MethodName, StringComparer.Ordinal)];
}
