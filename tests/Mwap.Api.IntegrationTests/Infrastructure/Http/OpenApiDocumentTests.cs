using System.Text.Json;

namespace Mwap.Api.IntegrationTests.Infrastructure.Http;

/// <summary>The OpenAPI document describes every operation: summary, security, the errors it returns, request examples.</summary>
public sealed class OpenApiDocumentTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    private async Task<JsonElement> DocumentAsync()
    {
        var response = await factory.CreateClient().GetAsync("/api/v1/openapi");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static IEnumerable<(string Name, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(op => Methods.Contains(op.Name))
            .Select(op => ($"{op.Name.ToUpperInvariant()} {path.Name}", op.Value)));

    [Fact]
    public async Task EveryOperation_HasASummaryAndADescription()
    {
        var operations = Operations(await DocumentAsync()).ToList();
        Assert.True(operations.Count > 60, $"only {operations.Count} operations");
        var missing = operations.Where(o => !HasText(o.Operation, "summary") || !HasText(o.Operation, "description")).Select(o => o.Name).ToList();
        Assert.True(missing.Count == 0, "Operations without a summary or description: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task EveryOperation_DocumentsItsErrors_WithTheEnvelopeAsExample()
    {
        var problems = new List<string>();
        foreach (var (name, operation) in Operations(await DocumentAsync()))
        {
            var secured = operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0;
            var errors = operation.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5').ToList();
            if (errors.Count == 0 || (secured && !errors.Any(r => r.Name == "401")) || !errors.Any(r => r.Name == "429"))
            {
                problems.Add($"{name}: error responses {string.Join(",", errors.Select(e => e.Name))}");
                continue;
            }

            foreach (var error in errors)
            {
                var examples = error.Value.GetProperty("content").GetProperty("application/json").GetProperty("examples");
                foreach (var example in examples.EnumerateObject())
                {
                    var value = example.Value.GetProperty("value");
                    if (value.GetProperty("success").GetBoolean() || string.IsNullOrEmpty(value.GetProperty("error").GetProperty("code").GetString()))
                    {
                        problems.Add($"{name} {error.Name}: example is not an MWAP error envelope");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task TheBearerScheme_AndTheIssuersDiscovery_AreDescribed()
    {
        var schemes = (await DocumentAsync()).GetProperty("components").GetProperty("securitySchemes");
        var bearer = schemes.GetProperty("Bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        var oidc = schemes.GetProperty("OpenIdConnect");
        Assert.Equal(factory.Issuer.Authority.TrimEnd('/') + "/.well-known/openid-configuration", oidc.GetProperty("openIdConnectUrl").GetString());
    }

    [Fact]
    public async Task RequestBodies_HaveExamples_AndNoComputedFields()
    {
        var document = await DocumentAsync();
        var create = document.GetProperty("paths").GetProperty("/api/v1/projects").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json");
        Assert.Equal("/Documents", create.GetProperty("example").GetProperty("folderpath").GetString());
        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty("CreateProjectRequest").GetProperty("properties");
        Assert.False(schema.TryGetProperty("effectiveIntegrationId", out _), "a computed field is in the request schema");
        Assert.True(schema.TryGetProperty("cloudIntegrationId", out _));
    }

    private static bool HasText(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && !string.IsNullOrWhiteSpace(value.GetString());
}
