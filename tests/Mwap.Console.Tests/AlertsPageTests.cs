using System.Net;
using System.Text.Json;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Mwap.WebConsole.Components;
using Mwap.WebConsole.Pages;
using Mwap.WebConsole.Services;

namespace Mwap.Console.Tests;

public sealed class AlertsPageTests : BunitContext
{
    private const string TenantId = "6b0cc46f5a9c97a6bac22d00";

    public AlertsPageTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    private StubApi Serve(Func<string, string> alerts)
    {
        var stub = new StubApi(request => request.RequestUri!.AbsolutePath.EndsWith("/users/me/roles", StringComparison.Ordinal)
            ? (HttpStatusCode.OK, JsonSerializer.Serialize(new { success = true, data = new { userId = "u", isSuperAdmin = false, isTenantOwner = true, tenantId = TenantId, projectRoles = Array.Empty<object>() } }))
            : (HttpStatusCode.OK, alerts(request.RequestUri.Query)));
        Services.AddSingleton(new ApiClient(stub.Client(), new FixedToken()));
        Services.AddScoped<RolesState>();
        return stub;
    }

    private static string Page(string? next, params (string Id, string Condition)[] items) => JsonSerializer.Serialize(new
    {
        success = true,
        data = new
        {
            items = items.Select(a => new
            {
                _id = a.Id,
                tenantId = TenantId,
                integrationId = "i",
                provider = new { slug = "dropbox", name = "Dropbox" },
                condition = a.Condition,
                day = "2026-03-31",
                message = "Message " + a.Id,
                detail = (string?)null,
                emailStatus = "sent",
                emailAttempts = 1,
                createdAt = "2026-03-31T01:00:00Z",
            }),
            nextCursor = next,
            hasMore = next is not null,
        },
    });

    [Fact]
    public void Alerts_ShowTheirSeverity_AndOlderOnesFollowTheCursor()
    {
        var stub = Serve(q => q.Contains("cursor=c1", StringComparison.Ordinal)
            ? Page(null, ("a3", "sync-failing"))
            : Page("c1", ("a1", "reconsent-required"), ("a2", "unhealthy")));

        var cut = Render<AlertsPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-test=alert-row]").Count));
        var first = cut.FindAll("[data-test=alert-row]")[0];
        Assert.Contains("mud-alert-text-error", first.ClassName, StringComparison.Ordinal);
        Assert.Contains("Reconnect needed · Dropbox", first.TextContent, StringComparison.Ordinal);
        Assert.Contains("mud-alert-text-warning", cut.FindAll("[data-test=alert-row]")[1].ClassName, StringComparison.Ordinal);

        cut.Find("[data-test=alerts-more]").Click();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-test=alert-row]").Count));
        Assert.Empty(cut.FindAll("[data-test=alerts-more]"));
        Assert.Equal($"/api/v1/tenants/{TenantId}/alerts", stub.Requests[^1].AbsolutePath);
        Assert.Equal("?limit=50&cursor=c1", stub.Requests[^1].Query);
    }

    [Fact]
    public void NoAlerts_SaysEverythingIsHealthy()
    {
        Serve(_ => Page(null));

        var cut = Render<AlertsPage>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-test=alerts-empty]")));
    }
}

public sealed class FileBrowserVirtualisationTests : BunitContext
{
    public FileBrowserVirtualisationTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    [Fact]
    public void ABigPage_RendersOnlyRowsInView()
    {
        var page = JsonSerializer.Serialize(new
        {
            success = true,
            data = Enumerable.Range(1, 1000).Select(i => new { _id = $"f{i}", name = $"scan-{i:0000}.txt", path = $"/P/scan-{i:0000}.txt", type = "text/plain", isFolder = false, size = 10 }),
            nextCursor = (string?)null,
            hasMore = false,
        });
        var stub = new StubApi(_ => (HttpStatusCode.OK, page));
        Services.AddSingleton(new ApiClient(stub.Client(), new FixedToken()));

        var cut = Render<FileBrowser>(p => p.Add(c => c.ProjectId, "6b0cc46f5a9c97a6bac22d67").Add(c => c.PageSize, 1000));

        cut.WaitForAssertion(() => Assert.Equal("1000", cut.Find("[data-test=files-table]").GetAttribute("data-rows")));
        Assert.Contains("limit=1000", stub.Requests[0].Query, StringComparison.Ordinal);
        Assert.Contains("1,000 on this page", cut.Find("[data-test=files-count]").TextContent, StringComparison.Ordinal);
        Assert.InRange(cut.FindAll("[data-test=file-row]").Count, 0, 200);
    }
}
