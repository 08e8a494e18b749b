using System.Net;
using System.Text.Json;
using Bunit;
using MudBlazor.Services;
using Mwap.WebConsole.Components;
using Mwap.WebConsole.Services;

namespace Mwap.Console.Tests;

public sealed class ConfigFormTests : BunitContext
{
    public ConfigFormTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    [Fact]
    public void FlatSchema_DrawsOneInputPerField_OfItsKind()
    {
        var schema = JsonDocument.Parse("""{"inputFolder":"string","retries":"integer?","notify":"boolean"}""").RootElement;

        var cut = Render<ConfigForm>(p => p.Add(c => c.Schema, schema).Add(c => c.Values, new Dictionary<string, string?>()));

        Assert.Equal("string", cut.Find("[data-test=config-field-inputFolder]").GetAttribute("data-kind"));
        Assert.Equal("integer", cut.Find("[data-test=config-field-retries]").GetAttribute("data-kind"));
        Assert.NotEmpty(cut.Find("[data-test=config-field-notify]").QuerySelectorAll("input[type=checkbox]"));
        Assert.Contains("Input folder *", cut.Find("[data-test=config-field-inputFolder]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-test=config-raw]"));
    }

    [Fact]
    public void ServerErrors_AreShownOnTheirField()
    {
        var schema = JsonDocument.Parse("""{"inputFolder":"string"}""").RootElement;
        var errors = new Dictionary<string, string> { ["config.inputFolder"] = "Must be a string" };

        var cut = Render<ConfigForm>(p => p.Add(c => c.Schema, schema).Add(c => c.Values, new Dictionary<string, string?>()).Add(c => c.Errors, errors));

        Assert.Contains("Must be a string", cut.Find("[data-test=config-field-inputFolder]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void TypingAValue_UpdatesTheValues()
    {
        var schema = JsonDocument.Parse("""{"inputFolder":"string"}""").RootElement;
        var values = new Dictionary<string, string?>();

        var cut = Render<ConfigForm>(p => p.Add(c => c.Schema, schema).Add(c => c.Values, values));
        cut.Find("[data-test=config-field-inputFolder] input").Change("/in");

        Assert.Equal("/in", values["inputFolder"]);
    }

    [Fact]
    public void UnknownSchema_OffersTheConfigAsRawJson()
    {
        var schema = JsonDocument.Parse("""{"inputFolder":{"label":"Input"}}""").RootElement;

        var cut = Render<ConfigForm>(p => p.Add(c => c.Schema, schema).Add(c => c.Values, new Dictionary<string, string?>()));

        Assert.Single(cut.FindAll("[data-test=config-raw]"));
    }
}

public sealed class ErrorViewTests : BunitContext
{
    public ErrorViewTests() => Services.AddMudServices();

    [Fact]
    public void ApiError_ShowsMessageCodeAndEachField()
    {
        var error = new ApiException(400, "project/invalid-input", "Validation failed",
            new Dictionary<string, string> { ["name"] = "Required", ["config.inputFolder"] = "Must be a string" });

        var cut = Render<ErrorView>(p => p.Add(c => c.Error, error));

        Assert.Equal("Validation failed", cut.Find("[data-test=api-error-message]").TextContent.Trim());
        Assert.Equal("project/invalid-input (400)", cut.Find("[data-test=api-error-code]").TextContent.Trim());
        var items = cut.FindAll("[data-test=api-error-details] li").Select(li => li.TextContent).ToList();
        Assert.Equal(["name: Required", "config.inputFolder: Must be a string"], items);
    }

    [Fact]
    public void NoError_RendersNothing()
    {
        var cut = Render<ErrorView>(p => p.Add(c => c.Error, null));

        Assert.Empty(cut.FindAll("[data-test=api-error]"));
    }

    [Fact]
    public void ApiClient_TurnsTheEnvelopeIntoTheError_AndANonEnvelopeIntoItsStatus()
    {
        var envelope = ApiClient.ToError(404, "Not Found", """{"success":false,"error":{"code":"project/not-found","message":"Project not found or user not a member","traceId":"t"}}""");
        var proxy = ApiClient.ToError(502, "Bad Gateway", "<html>bad gateway</html>");

        Assert.Equal(("project/not-found", "Project not found or user not a member", 404), (envelope.Code, envelope.Message, envelope.Status));
        Assert.Equal(("http/502", "The server answered 502 Bad Gateway"), (proxy.Code, proxy.Message));
    }
}

public sealed class FileBrowserTests : StubbedApiContext
{
    private const string ProjectId = "6b0cc46f5a9c97a6bac22d67";

    private static string Page(IEnumerable<string> names, string? next) => JsonSerializer.Serialize(new
    {
        success = true,
        data = names.Select((n, i) => new { _id = n, name = n, path = "/P/" + n, type = "text/plain", isFolder = false, size = 10 + i, modifiedTime = "2026-01-01T00:00:00Z" }),
        nextCursor = next,
        hasMore = next is not null,
    });

    [Fact]
    public void Paging_FollowsNextCursor_AndGoesBackWithoutIt()
    {
        var stub = Serve(request =>
        {
            var query = request.RequestUri!.Query;
            return query.Contains("cursor=c2", StringComparison.Ordinal) ? (HttpStatusCode.OK, Page(["e.txt"], null))
                : query.Contains("cursor=c1", StringComparison.Ordinal) ? (HttpStatusCode.OK, Page(["c.txt", "d.txt"], "c2"))
                : (HttpStatusCode.OK, Page(["a.txt", "b.txt"], "c1"));
        });

        var cut = Render<FileBrowser>(p => p.Add(c => c.ProjectId, ProjectId).Add(c => c.RootPath, "/P").Add(c => c.PageSize, 2));
        cut.WaitForAssertion(() => Assert.Equal(["a.txt", "b.txt"], Names(cut)));
        Assert.True(cut.Find("[data-test=files-previous]").HasAttribute("disabled"));

        cut.Find("[data-test=files-next]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["c.txt", "d.txt"], Names(cut)));
        cut.Find("[data-test=files-next]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["e.txt"], Names(cut)));
        Assert.True(cut.Find("[data-test=files-next]").HasAttribute("disabled"));
        Assert.Equal("Page 3", cut.Find("[data-test=files-page]").TextContent.Trim());

        cut.Find("[data-test=files-previous]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["c.txt", "d.txt"], Names(cut)));
        cut.Find("[data-test=files-previous]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["a.txt", "b.txt"], Names(cut)));

        Assert.All(stub.Requests, r => Assert.Contains("limit=2", r.Query, StringComparison.Ordinal));
        Assert.Equal([null, "c1", "c2", "c1", null], stub.Requests.Select(r => Cursor(r.Query)));
        Assert.StartsWith($"/api/v1/projects/{ProjectId}/files", stub.Requests[0].AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyFolder_SaysSo()
    {
        Serve(_ => (HttpStatusCode.OK, Page([], null)));

        var cut = Render<FileBrowser>(p => p.Add(c => c.ProjectId, ProjectId));

        cut.WaitForAssertion(() => Assert.Equal("This folder is empty.", cut.Find("[data-test=files-empty]").TextContent.Trim()));
    }

    [Fact]
    public void AnApiError_IsShownAsTheApiSaidIt()
    {
        Serve(_ => (HttpStatusCode.BadRequest,
            """{"success":false,"error":{"code":"file/invalid-path","message":"Path must stay inside the project's folder","details":{"path":"Outside the project"},"traceId":"t"}}"""));

        var cut = Render<FileBrowser>(p => p.Add(c => c.ProjectId, ProjectId));

        cut.WaitForAssertion(() => Assert.Equal("Path must stay inside the project's folder", cut.Find("[data-test=api-error-message]").TextContent.Trim()));
        Assert.Contains("path: Outside the project", cut.Find("[data-test=api-error-details]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-test=file-row]"));
    }

    private static List<string> Names(IRenderedComponent<FileBrowser> cut) => [.. cut.FindAll("[data-test=file-name]").Select(e => e.TextContent.Trim())];

    private static string? Cursor(string query) =>
        query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).Where(p => p[0] == "cursor").Select(p => Uri.UnescapeDataString(p[1])).FirstOrDefault();
}
