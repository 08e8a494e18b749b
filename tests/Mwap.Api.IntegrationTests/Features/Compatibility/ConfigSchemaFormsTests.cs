using System.Net;
using System.Text.Json;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.Compatibility;

/// <summary>A project type's <c>configSchema</c> in MWAP's flat form, as JSON Schema, or as any other object; echoed as sent.</summary>
public sealed class ConfigSchemaFormsTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    private async Task<(TenantSetup Setup, string TypeId, string TypeJson)> TypeWithSchemaAsync(string schemaJson)
    {
        var setup = await TenantSetup.CreateAsync(factory);
        var body = $$"""{"name":"{{TestUsers.UniqueName("Type")}}","description":"created by e2e","isActive":true,"configSchema":{{schemaJson}}}""";
        var type = await setup.Admin.SendRawAsync(HttpMethod.Post, "/api/v1/project-types", body).ReadDataAsync(HttpStatusCode.Created);
        return (setup, type.GetProperty("_id").GetString()!, type.GetRawText());
    }

    private static Task<HttpResponseMessage> CreateProjectAsync(TenantSetup setup, string typeId, object config) =>
        setup.Owner.PostProjectAsync(setup.TenantId, typeId, setup.IntegrationId, config: config);

    [Theory]
    [InlineData("""{"inputFolder":"string","outputFolder":"string"}""")]
    [InlineData("""{"type":"object","properties":{"camera":{"type":"string"}},"x-ui":{"order":["camera"]},"required":["camera"]}""")]
    [InlineData("""{"fields":[{"name":"camera","kind":"text"}],"version":2,"ratio":1.50}""")]
    public async Task EveryForm_IsStored_AndEchoedExactlyAsSent(string schemaJson)
    {
        var (setup, typeId, created) = await TypeWithSchemaAsync(schemaJson);
        using var createdDoc = JsonDocument.Parse(created);
        Assert.Equal(schemaJson, createdDoc.RootElement.GetProperty("configSchema").GetRawText());
        var read = await setup.Admin.GetAsync($"/api/v1/project-types/{typeId}").ReadDataAsync();
        Assert.Equal(schemaJson, read.GetProperty("configSchema").GetRawText());
        var listed = (await setup.Owner.GetAsync("/api/v1/project-types").ReadDataAsync()).EnumerateArray().Single(t => t.GetProperty("_id").GetString() == typeId);
        Assert.Equal(schemaJson, listed.GetProperty("configSchema").GetRawText());
    }

    [Fact]
    public async Task FieldMap_ValidatesRequiredFieldsAndTypes_NamingTheField()
    {
        var (setup, typeId, _) = await TypeWithSchemaAsync("""{"inputFolder":"string","count":"Integer","ratio":"number?","tags":"array?","flags":"OBJECT?","on":"boolean?"}""");

        var missing = await (await CreateProjectAsync(setup, typeId, new { count = 1 })).AssertErrorAsync(HttpStatusCode.BadRequest, "project/invalid-input");
        Assert.Equal("Required", missing.GetProperty("details").GetProperty("config.inputFolder").GetString());

        var wrong = await (await CreateProjectAsync(setup, typeId, new { inputFolder = 5, count = 1.5, on = "yes" })).AssertErrorAsync(HttpStatusCode.BadRequest, "project/invalid-input");
        var details = wrong.GetProperty("details");
        Assert.Equal("Must be a string", details.GetProperty("config.inputFolder").GetString());
        Assert.Equal("Must be an integer", details.GetProperty("config.count").GetString());
        Assert.Equal("Must be a boolean", details.GetProperty("config.on").GetString());

        var project = await CreateProjectAsync(setup, typeId, new { inputFolder = "/in", count = 3, extra = "allowed", tags = new[] { "a" } })
            .ReadDataAsync(HttpStatusCode.Created);
        Assert.Equal("allowed", project.GetProperty("config").GetProperty("extra").GetString());
        var id = project.GetProperty("_id").GetString();
        await (await setup.Owner.PatchJsonAsync($"/api/v1/projects/{id}", new { config = new { inputFolder = "/in" } }))
            .AssertErrorAsync(HttpStatusCode.BadRequest, "project/invalid-input");
    }

    [Fact]
    public async Task JsonSchema_IsValidatedAsBefore_UnknownKeywordsIgnored()
    {
        var (setup, typeId, _) = await TypeWithSchemaAsync("""{"type":"object","properties":{"shots":{"type":"integer","minimum":1,"x-widget":"slider"}},"required":["shots"],"x-ui":true}""");
        await (await CreateProjectAsync(setup, typeId, new { shots = 0 })).AssertErrorAsync(HttpStatusCode.BadRequest, "project/invalid-input");
        await (await CreateProjectAsync(setup, typeId, new { })).AssertErrorAsync(HttpStatusCode.BadRequest, "project/invalid-input");
        await CreateProjectAsync(setup, typeId, new { shots = 3 }).ReadDataAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task AnyOtherObject_ValidatesNothing()
    {
        var (setup, typeId, _) = await TypeWithSchemaAsync("""{"inputFolder":{"label":"Input"},"legacy":true}""");
        var project = await CreateProjectAsync(setup, typeId, new { anything = new[] { 1, 2 } }).ReadDataAsync(HttpStatusCode.Created);
        Assert.Equal(2, project.GetProperty("config").GetProperty("anything").GetArrayLength());
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"inputFolder:string\"")]
    [InlineData("42")]
    [InlineData("""{"type":12}""")]
    public async Task NonObjectsAndBrokenJsonSchemas_Are400(string schemaJson)
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var body = $$"""{"name":"{{TestUsers.UniqueName("Type")}}","description":"","isActive":true,"configSchema":{{schemaJson}}}""";
        var error = await (await admin.SendRawAsync(HttpMethod.Post, "/api/v1/project-types", body)).AssertErrorAsync(HttpStatusCode.BadRequest, "project-type/invalid-schema");
        Assert.True(error.GetProperty("details").TryGetProperty("configSchema", out _));
    }

    [Fact]
    public async Task PatchWithOnlyADescription_KeepsTheSchemaAsSent()
    {
        var schema = """{"inputFolder":"string","outputFolder":"string"}""";
        var (setup, typeId, _) = await TypeWithSchemaAsync(schema);
        var updated = await setup.Admin.PatchJsonAsync($"/api/v1/project-types/{typeId}", new { description = "edited" }).ReadDataAsync();
        Assert.Equal("edited", updated.GetProperty("description").GetString());
        Assert.Equal(schema, updated.GetProperty("configSchema").GetRawText());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheThreeForms()
    {
        var document = await factory.CreateClient().GetStringAsync("/api/v1/openapi");
        using var json = JsonDocument.Parse(document);
        var request = json.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("CreateProjectTypeRequest");
        var configSchema = request.GetProperty("properties").GetProperty("configSchema");
        var forms = configSchema.GetProperty("oneOf").EnumerateArray().Select(f => f.GetProperty("title").GetString()).ToList();
        Assert.Equal(["MWAP field map", "JSON Schema", "Any other object"], forms);
        Assert.Contains("exactly as sent", configSchema.GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
