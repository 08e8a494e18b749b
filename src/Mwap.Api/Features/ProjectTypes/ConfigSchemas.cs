using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Json.Schema;
using Mwap.Contracts;

namespace Mwap.Api.Features.ProjectTypes;

/// <summary>
/// Project-type config schemas, read as MWAP's clients wrote them: the flat field map, JSON Schema, or any other object
/// (kept as sent, so no existing MWAP record is refused). A project's <c>config</c> is validated against the first two.
/// </summary>
internal static class ConfigSchemas
{
    public const string Description =
        "A JSON object in one of three forms. (1) MWAP's flat field map: field name → type name, one of string, number, integer, " +
        "boolean, array, object (case-insensitive; a trailing '?' marks the field optional), e.g. {\"inputFolder\":\"string\"}; " +
        "a project's config must have every required field with a value of that type (extra fields allowed). (2) A JSON Schema " +
        "document, recognised by $schema, type, properties, $ref, allOf, anyOf, oneOf, items or required at the top level; " +
        "a project's config must satisfy it (unknown keywords are ignored). (3) Any other object: stored and returned as sent, " +
        "validating nothing. The response returns configSchema exactly as sent.";

    private const int MaxSchemaLength = 64_000;

    // Draft 2020-12 ignores unknown keywords (§4.3.1); the library's default dialect refuses them.
    private static readonly BuildOptions Draft202012 = new() { Dialect = Dialect.Draft202012 };

    public static ConfigSchemaForm FormOf(JsonElement schema) => ConfigSchemaShape.FormOf(schema);

    public static IEnumerable<ValidationResult> Check(JsonElement? schema)
    {
        if (schema is not { } s || s.ValueKind == JsonValueKind.Null)
        {
            yield break;
        }

        if (s.ValueKind != JsonValueKind.Object)
        {
            yield return new ValidationResult("Must be a JSON object (a field map, a JSON Schema or any object)", ["ConfigSchema"]);
            yield break;
        }

        var text = s.GetRawText();
        if (text.Length > MaxSchemaLength)
        {
            yield return new ValidationResult($"Must be at most {MaxSchemaLength} characters", ["ConfigSchema"]);
            yield break;
        }

        if (FormOf(s) == ConfigSchemaForm.JsonSchema && !IsUsableJsonSchema(text))
        {
            yield return new ValidationResult("Is not a valid JSON Schema", ["ConfigSchema"]);
        }
    }

    /// <summary>Validates <paramref name="config"/> against <paramref name="schemaText"/>; returns error messages by field path.</summary>
    public static Dictionary<string, string> Validate(string schemaText, JsonElement config)
    {
        using var schema = JsonDocument.Parse(schemaText);
        return FormOf(schema.RootElement) switch
        {
            ConfigSchemaForm.FieldMap => ValidateFieldMap(schema.RootElement, config),
            ConfigSchemaForm.JsonSchema => ValidateJsonSchema(schemaText, config),
            _ => [],
        };
    }

    private static Dictionary<string, string> ValidateFieldMap(JsonElement fields, JsonElement config)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in fields.EnumerateObject())
        {
            var (type, optional) = ConfigSchemaShape.FieldType(field.Value)!.Value;
            if (!config.TryGetProperty(field.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (!optional)
                {
                    errors[$"config.{field.Name}"] = "Required";
                }

                continue;
            }

            if (!HasType(value, type))
            {
                errors[$"config.{field.Name}"] = $"Must be {(type is "integer" or "array" or "object" ? "an" : "a")} {type}";
            }
        }

        return errors;
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) && decimal.Truncate(d) == d,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => value.ValueKind == JsonValueKind.Array,
        _ => value.ValueKind == JsonValueKind.Object,
    };

    private static bool IsUsableJsonSchema(string text)
    {
        try
        {
            // Evaluating once against an empty object proves the schema itself is usable.
            using var empty = JsonDocument.Parse("{}");
            JsonSchema.FromText(text, Draft202012).Evaluate(empty.RootElement);
            return true;
        }
        catch (Exception e) when (e is JsonSchemaException or JsonException or RefResolutionException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static Dictionary<string, string> ValidateJsonSchema(string schemaText, JsonElement config)
    {
        var results = JsonSchema.FromText(schemaText, Draft202012).Evaluate(config, new EvaluationOptions { OutputFormat = OutputFormat.List });
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
