using System.Net;
using System.Text.Json;
using Bunit;
using Mwap.WebConsole.Components;
using Mwap.WebConsole.Services;

namespace Mwap.Console.Tests;

public sealed class AuditLogQueryTests
{
    [Fact]
    public void NoFilters_AskForTheFirstPageOnly()
    {
        Assert.Equal("admin/audit-logs?limit=50", new AuditLogQuery().ToPath(null, 50, null));
    }

    [Fact]
    public void Filters_BecomeTheApisParameters_Escaped_WithTheToDayIncluded()
    {
        var query = new AuditLogQuery
        {
            Action = " jobs.trigger ",
            Actor = "auth0|ada admin",
            TargetType = "job",
            TargetId = "file-sync",
            From = new DateTime(2026, 11, 1, 15, 30, 0, DateTimeKind.Unspecified),
            To = new DateTime(2026, 11, 30),
            TenantId = "6b0cc46f5a9c97a6bac22d67",
        };

        var path = query.ToPath(null, 20, "MTIzfGFi+/=");

        Assert.Equal("admin/audit-logs?limit=20&action=jobs.trigger&actor=auth0%7Cada%20admin&targetType=job&targetId=file-sync"
            + "&from=2026-11-01T00%3A00%3A00Z&to=2026-12-01T00%3A00%3A00Z&tenantId=6b0cc46f5a9c97a6bac22d67&cursor=MTIzfGFi%2B%2F%3D", path);
    }

    [Fact]
    public void ATenantsLog_UsesItsRoute_AndNeverSendsATenantFilter()
    {
        var query = new AuditLogQuery { Action = "project.create", TenantId = "other" };

        Assert.Equal("tenants/6b0cc46f5a9c97a6bac22d67/audit-logs?limit=50&action=project.create", query.ToPath("6b0cc46f5a9c97a6bac22d67", 50, null));
    }

    [Fact]
    public void BlankFilters_AreLeftOut_AndClearEmptiesEveryFilter()
    {
        var query = new AuditLogQuery { Action = "  ", Actor = "", From = DateTime.Today, TenantId = "t" };
        Assert.DoesNotContain("action", query.ToPath(null, 50, null), StringComparison.Ordinal);

        query.Clear();

        Assert.Equal("admin/audit-logs?limit=50", query.ToPath(null, 50, null));
    }
}

public sealed class AuditLogViewTests : StubbedApiContext
{
    private const string TenantId = "6b0cc46f5a9c97a6bac22d67";

    private static string Page(IEnumerable<string> actions, string? next) => JsonSerializer.Serialize(new
    {
        success = true,
        data = new
        {
            items = actions.Select((a, i) => new
            {
                _id = $"6b0cc46f5a9c97a6bac22d{i:x2}",
                tenantId = TenantId,
                actorId = "auth0|ada",
                action = a,
                targetType = "job",
                targetId = "file-sync",
                outcome = i == 0 ? "success" : "failure",
                ip = "127.0.0.1",
                userAgent = "test",
                traceId = "trace-" + i,
                details = new { jobId = "42", note = a },
                createdAt = "2026-11-30T06:00:00Z",
            }),
            nextCursor = next,
            hasMore = next is not null,
        },
    });

    [Fact]
    public void Paging_FollowsTheApisCursor_AndGoesBackWithoutIt()
    {
        var stub = Serve(request =>
        {
            var query = request.RequestUri!.Query;
            return query.Contains("cursor=c2", StringComparison.Ordinal) ? (HttpStatusCode.OK, Page(["e.five"], null))
                : query.Contains("cursor=c1", StringComparison.Ordinal) ? (HttpStatusCode.OK, Page(["c.three", "d.four"], "c2"))
                : (HttpStatusCode.OK, Page(["a.one", "b.two"], "c1"));
        });

        var cut = Render<AuditLogView>(p => p.Add(c => c.PageSize, 2));
        cut.WaitForAssertion(() => Assert.Equal(["a.one", "b.two"], Actions(cut)));
        Assert.True(cut.Find("[data-test=audit-previous]").HasAttribute("disabled"));

        cut.Find("[data-test=audit-next]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["c.three", "d.four"], Actions(cut)));
        cut.Find("[data-test=audit-next]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["e.five"], Actions(cut)));
        Assert.True(cut.Find("[data-test=audit-next]").HasAttribute("disabled"));
        Assert.Equal("Page 3", cut.Find("[data-test=audit-page]").TextContent.Trim());
        cut.Find("[data-test=audit-previous]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["c.three", "d.four"], Actions(cut)));

        Assert.Equal([null, "c1", "c2", "c1"], stub.Requests.Select(r => Parameter(r.Query, "cursor")));
        Assert.All(stub.Requests, r => Assert.Equal("/api/v1/admin/audit-logs", r.AbsolutePath));
    }

    [Fact]
    public void ApplyingFilters_AsksTheTenantsRouteAgain_FromTheFirstPage()
    {
        var stub = Serve(request => (HttpStatusCode.OK, Page(["project.create"], request.RequestUri!.Query.Contains("cursor", StringComparison.Ordinal) ? null : "c1")));

        var cut = Render<AuditLogView>(p => p.Add(c => c.TenantId, TenantId));
        cut.WaitForAssertion(() => Assert.Single(stub.Requests));
        cut.Find("[data-test=audit-next]").Click();
        cut.WaitForAssertion(() => Assert.Equal(2, stub.Requests.Count));
        cut.Find("input[data-test=audit-filter-action]").Input("integration.connect");
        cut.Find("input[data-test=audit-filter-actor]").Input("auth0|olive");
        cut.Find("[data-test=audit-apply]").Click();

        cut.WaitForAssertion(() => Assert.Equal(3, stub.Requests.Count));
        var last = stub.Requests[^1];
        Assert.Equal($"/api/v1/tenants/{TenantId}/audit-logs", last.AbsolutePath);
        Assert.Equal("integration.connect", Parameter(last.Query, "action"));
        Assert.Equal("auth0|olive", Parameter(last.Query, "actor"));
        Assert.Null(Parameter(last.Query, "cursor"));
        Assert.Null(Parameter(last.Query, "tenantId"));
        Assert.Equal("Page 1", cut.Find("[data-test=audit-page]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-test=audit-filter-tenant]"));
    }

    [Fact]
    public void Details_OpenOnDemand_WithTheRecordedJson()
    {
        Serve(_ => (HttpStatusCode.OK, Page(["jobs.trigger"], null)));

        var cut = Render<AuditLogView>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-test=audit-row]")));
        Assert.Empty(cut.FindAll("[data-test=audit-details]"));

        cut.Find("[data-test=audit-toggle]").Click();

        var details = cut.Find("[data-test=audit-details]").TextContent;
        Assert.Contains("trace-0", details, StringComparison.Ordinal);
        Assert.Contains("\"jobId\": \"42\"", cut.Find("[data-test=audit-details-json]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void NoEntries_SaysSo()
    {
        Serve(_ => (HttpStatusCode.OK, Page([], null)));

        var cut = Render<AuditLogView>();

        cut.WaitForAssertion(() => Assert.Equal("No audit entry matches these filters.", cut.Find("[data-test=audit-empty]").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-test=audit-table]"));
    }

    [Fact]
    public void ABadFilter_ShowsTheApisErrorAndItsField()
    {
        Serve(_ => (HttpStatusCode.BadRequest,
            """{"success":false,"error":{"code":"validation/invalid-input","message":"from must be an ISO-8601 date or time","details":{"from":"from must be an ISO-8601 date or time"},"traceId":"t"}}"""));

        var cut = Render<AuditLogView>();

        cut.WaitForAssertion(() => Assert.Equal("from must be an ISO-8601 date or time", cut.Find("[data-test=api-error-message]").TextContent.Trim()));
        Assert.Contains("from:", cut.Find("[data-test=api-error-details]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-test=audit-row]"));
    }

    private static List<string> Actions(IRenderedComponent<AuditLogView> cut) => [.. cut.FindAll("[data-test=audit-action]").Select(e => e.TextContent.Trim())];

    private static string? Parameter(string query, string name) =>
        query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).Where(p => p[0] == name).Select(p => Uri.UnescapeDataString(p[1])).FirstOrDefault();
}
