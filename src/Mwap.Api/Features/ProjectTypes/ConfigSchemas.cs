using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Json.Schema;

namespace Mwap.Api.Features.ProjectTypes;

/// <summary>Project-type config schemas are JSON Schema (draft 2020-12 by default); a project's <c>config</c> must satisfy its type's.</summary>
internal static class ConfigSchemas
{
    private const int MaxSchemaLength = 64_000;

    public static IEnumerable<ValidationResult> Check(JsonElement? schema)
    {
        if (schema is not { } s || s.ValueKind == JsonValueKind.Null)
        {
            yield break;
        }

        if (s.ValueKind != JsonValueKind.Object)
        {
            yield return new ValidationResult("Must be a JSON Schema object", ["ConfigSchema"]);
            yield break;
        }

        var text = s.GetRawText();
        if (text.Length > MaxSchemaLength)
        {
            yield return new ValidationResult($"Must be at most {MaxSchemaLength} characters", ["ConfigSchema"]);
            yield break;
        }

        string? error = null;
        try
        {
            // Evaluating once against an empty object proves the schema itself is usable.
            JsonSchema.FromText(text).Evaluate(JsonDocument.Parse("{}").RootElement);
        }
        catch (Exception e) when (e is JsonSchemaException or JsonException or RefResolutionException or ArgumentException or InvalidOperationException)
        {
            error = "Is not a valid JSON Schema";
        }

        if (error is not null)
        {
            yield return new ValidationResult(error, ["ConfigSchema"]);
        }
    }

    /// <summary>Validates <paramref name="config"/> against <paramref name="schemaText"/>; returns error messages by JSON pointer.</summary>
    public static Dictionary<string, string> Validate(string schemaText, JsonElement config)
    {
        var results = JsonSchema.FromText(schemaText).Evaluate(config, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (results.IsValid)
        {
            return errors;
        }

        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is null)
            {
                continue;
            }

            var location = detail.InstanceLocation.ToString();
            var key = "config" + (location.Length > 0 ? location.Replace('/', '.') : "");
            foreach (var message in detail.Errors.Values)
            {
                errors.TryAdd(key, message);
            }
        }

        if (errors.Count == 0)
        {
            errors["config"] = "Does not match the project type's config schema";
        }

        return errors;
    }
}
