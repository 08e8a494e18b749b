using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Mwap.WebConsole.Components;
using Mwap.WebConsole.Services;

namespace Mwap.Console.Tests;

public sealed class ProjectSettingsTests : BunitContext
{
    private const string ProjectId = "6b0cc46f5a9c97a6bac22d67";
    private const string TypeId = "6b0cc46f5a9c97a6bac22d68";

    public ProjectSettingsTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    private static Project Project(string config) => new(ProjectId, "t", TypeId, "i", "/Clients/Acme", "Acme documents", "Shared",
        JsonDocument.Parse(config).RootElement, false, [new Member("auth0|m", "MEMBER")]);

    private StubApi Serve(Func<HttpRequestMessage, (HttpStatusCode, string)?> patch)
    {
        var stub = new StubApi(request =>
        {
            if (request.Method == HttpMethod.Get)
            {
                return (HttpStatusCode.OK, JsonSerializer.Serialize(new
                {
                    success = true,
                    data = new { _id = TypeId, name = "Client folder", description = "", isActive = true, configSchema = new { inputFolder = "string", retries = "integer?" } },
                }));
            }

            return patch(request) ?? (HttpStatusCode.OK, JsonSerializer.Serialize(new
            {
                success = true,
                data = new { _id = ProjectId, tenantId = "t", projectTypeId = TypeId, cloudIntegrationId = "i", folderpath = "/Clients/Acme", name = "Renamed", config = new { }, archived = false, members = Array.Empty<object>() },
            }));
        });
        Services.AddSingleton(new ApiClient(stub.Client(), new FixedToken()));
        return stub;
    }

    private IRenderedComponent<ProjectSettings> RenderSettings(string config = """{"inputFolder":"/in","retries":2,"extra":true}""")
    {
        var cut = Render<ProjectSettings>(p => p.Add(c => c.Project, Project(config)).Add(c => c.IsOwner, true));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-test=config-field-inputFolder] input")));
        return cut;
    }

    private static AngleSharp.Dom.IElement Input(IRenderedComponent<ProjectSettings> cut, string test) =>
        cut.Find($"input[data-test={test}], [data-test={test}] input");

    [Fact]
    public void TheFormStartsFromTheProject_ItsConfigInTheTypesFields()
    {
        Serve(_ => null);

        var cut = RenderSettings();

        Assert.Equal("Acme documents", Input(cut, "edit-name").GetAttribute("value"));
        Assert.Equal("/in", cut.Find("[data-test=config-field-inputFolder] input").GetAttribute("value"));
        Assert.Equal("2", cut.Find("[data-test=config-field-retries] input").GetAttribute("value"));
    }

    [Fact]
    public void MissingNameAndABadNumber_AreCaughtBeforeSending()
    {
        var stub = Serve(_ => null);
        var cut = RenderSettings();

        Input(cut, "edit-name").Change("");
        cut.Find("[data-test=config-field-retries] input").Change("two");
        cut.Find("[data-test=edit-save]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Must be an integer", cut.Find("[data-test=config-field-retries]").TextContent, StringComparison.Ordinal));
        Assert.Contains("Required", cut.Find("[data-test=project-settings]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(stub.Calls, c => c.Method == HttpMethod.Patch);
    }

    [Fact]
    public void TheServersRefusal_IsShownOnItsField()
    {
        Serve(_ => (HttpStatusCode.Conflict,
            """{"success":false,"error":{"code":"project/name-exists","message":"A project with this name already exists in the tenant","details":{"name":"Already used"}}}"""));
        var cut = RenderSettings();

        Input(cut, "edit-name").Change("Globex documents");
        cut.Find("[data-test=edit-save]").Click();

        cut.WaitForAssertion(() => Assert.Equal("A project with this name already exists in the tenant", cut.Find("[data-test=api-error-message]").TextContent.Trim()));
        Assert.Contains("Already used", cut.Find("[data-test=project-settings]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Saving_SendsTheFormOverTheExistingConfig_KeepingKeysTheSchemaDoesNotName()
    {
        var stub = Serve(_ => null);
        Project? saved = null;
        var cut = Render<ProjectSettings>(p => p.Add(c => c.Project, Project("""{"inputFolder":"/in","retries":2,"extra":true}"""))
            .Add(c => c.Saved, (Project x) => saved = x));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-test=config-field-inputFolder] input")));

        Input(cut, "edit-name").Change("Renamed");
        cut.Find("[data-test=config-field-inputFolder] input").Change("/new");
        cut.Find("[data-test=config-field-retries] input").Change("");
        cut.Find("[data-test=edit-save]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Renamed", saved?.Name));
        var (method, path, body) = stub.Calls.Single(c => c.Method == HttpMethod.Patch);
        Assert.Equal($"/api/v1/projects/{ProjectId}", path);
        var sent = JsonNode.Parse(body!)!;
        Assert.Equal("Renamed", (string?)sent["name"]);
        Assert.Equal("""{"extra":true,"inputFolder":"/new"}""", sent["config"]!.ToJsonString());
    }

    [Fact]
    public void Archive_SendsOnlyTheFlag()
    {
        var stub = Serve(_ => null);
        var cut = RenderSettings();

        cut.Find("[data-test=project-archive]").Click();

        cut.WaitForAssertion(() => Assert.Contains(stub.Calls, c => c.Method == HttpMethod.Patch));
        Assert.Equal("""{"archived":true}""", stub.Calls.Single(c => c.Method == HttpMethod.Patch).Body);
    }
}
