using System.Text.Json;
using Mwap.WebConsole.Services;

namespace Mwap.Console.Tests;

public sealed class ConfigSchemaTests
{
    private static ConfigSchema Parse(string json) => ConfigSchema.Parse(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void FlatMap_GivesOneFieldPerKey_QuestionMarkMeaningOptional()
    {
        var schema = Parse("""{"inputFolder":"string","retries":"Integer?","notify":"boolean"}""");

        Assert.Equal("flat", schema.Form);
        Assert.Equal(["inputFolder", "retries", "notify"], schema.Fields.Select(f => f.Name));
        Assert.Equal(["string", "integer", "boolean"], schema.Fields.Select(f => f.Kind));
        Assert.Equal([true, false, true], schema.Fields.Select(f => f.Required));
        Assert.Equal("Input folder", schema.Fields[0].Label);
    }

    [Fact]
    public void JsonSchema_ReadsTitlesEnumsAndRequired()
    {
        var schema = Parse("""
            {"type":"object","required":["mode"],"properties":{
              "mode":{"type":"string","title":"Mode","enum":["fast","safe"]},
              "limit":{"type":["integer","null"],"description":"At most this many"}}}
            """);

        Assert.Equal("json-schema", schema.Form);
        var mode = schema.Fields.Single(f => f.Name == "mode");
        Assert.True(mode.Required);
        Assert.Equal("Mode", mode.Label);
        Assert.Equal(["fast", "safe"], mode.Options);
        var limit = schema.Fields.Single(f => f.Name == "limit");
        Assert.False(limit.Required);
        Assert.Equal("integer", limit.Kind);
        Assert.Equal("At most this many", limit.Description);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"inputFolder":{"label":"Input"}}""")]
    public void OtherObjects_HaveNoFields_SoTheConfigIsEditedAsJson(string json) => Assert.Empty(Parse(json).Fields);

    [Theory]
    [InlineData("""{"type":"object"}""")]
    [InlineData("""{"type":"string","name":"string"}""")]
    public void AnObjectWithAJsonSchemaKeyword_IsAJsonSchema_AsTheServerReadsIt_NotAFieldMap(string json)
    {
        // The server validates these as JSON Schema; a form with a "type" field would send configs it refuses.
        var schema = Parse(json);

        Assert.NotEqual("flat", schema.Form);
        Assert.DoesNotContain(schema.Fields, f => f.Name == "type");
    }

    [Fact]
    public void Validate_KeysProblemsAsTheServerDoes()
    {
        var schema = Parse("""{"inputFolder":"string","retries":"integer?","ratio":"number?"}""");

        var errors = schema.Validate(new Dictionary<string, string?> { ["retries"] = "two", ["ratio"] = "0.5" });

        Assert.Equal("Required", errors["config.inputFolder"]);
        Assert.Equal("Must be an integer", errors["config.retries"]);
        Assert.False(errors.ContainsKey("config.ratio"));
    }

    [Fact]
    public void Build_SendsTypedValues_AndLeavesEmptyOptionalFieldsOut()
    {
        var schema = Parse("""{"inputFolder":"string","retries":"integer?","notify":"boolean?","tags":"array?","note":"string?"}""");

        var config = schema.Build(new Dictionary<string, string?> { ["inputFolder"] = "/in", ["retries"] = "3", ["tags"] = """["a","b"]""", ["note"] = " " });

        Assert.Equal("""{"inputFolder":"/in","retries":3,"notify":false,"tags":["a","b"]}""", config.ToJsonString());
    }
}
