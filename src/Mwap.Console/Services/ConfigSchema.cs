using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mwap.Contracts;

namespace Mwap.WebConsole.Services;

/// <summary>One field of a project type's config form.</summary>
public sealed record ConfigField(string Name, string Kind, bool Required, string Label, string? Description, IReadOnlyList<string> Options);

/// <summary>
/// Reads a project type's <c>configSchema</c> in the server's three forms (docs/api.md): MWAP's flat field map
/// (<c>{"inputFolder":"string","outputFolder":"string?"}</c>), JSON Schema (top-level <c>properties</c>/<c>type</c>/…), or any
/// other object, which the server does not check and the console edits as raw JSON.
/// </summary>
public sealed class ConfigSchema
{
    private ConfigSchema(string form, IReadOnlyList<ConfigField> fields)
    {
        Form = form;
        Fields = fields;
    }

    /// <summary><c>flat</c>, <c>json-schema</c> or <c>free</c> (no fields: edit the config as JSON).</summary>
    public string Form { get; }

    public IReadOnlyList<ConfigField> Fields { get; }

    public static ConfigSchema Parse(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.EnumerateObject().Any())
        {
            return new ConfigSchema("free", []);
        }

        // The server's own rule (Mwap.Contracts), so the form shown is the form the server validates against.
        switch (ConfigSchemaShape.FormOf(schema))
        {
            case ConfigSchemaForm.FieldMap:
                return new ConfigSchema("flat", [.. schema.EnumerateObject().Select(p =>
                {
                    var (type, optional) = ConfigSchemaShape.FieldType(p.Value)!.Value;
                    return new ConfigField(p.Name, type, !optional, Humanise(p.Name), null, []);
                })]);
            case ConfigSchemaForm.JsonSchema:
                var required = schema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
                    ? r.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal)
                    : [];
                var fields = new List<ConfigField>();
                if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in properties.EnumerateObject())
                    {
                        fields.Add(FromJsonSchema(p.Name, p.Value, required.Contains(p.Name)));
                    }
                }

                return new ConfigSchema(fields.Count == 0 ? "free" : "json-schema", fields);
            default:
                return new ConfigSchema("free", []);
        }
    }

    /// <summary>Problems the server would report, keyed as it keys them (<c>config.inputFolder</c>); empty when none.</summary>
    public Dictionary<string, string> Validate(IReadOnlyDictionary<string, string?> values)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            var raw = values.GetValueOrDefault(field.Name);
            if (string.IsNullOrWhiteSpace(raw))
            {
                if (field.Required && field.Kind != "boolean")
                {
                    errors["config." + field.Name] = "Required";
                }

                continue;
            }

            if (Convert(field, raw) is null)
            {
                errors["config." + field.Name] = $"Must be {(field.Kind is "integer" or "array" or "object" ? "an" : "a")} {field.Kind}";
            }
        }

        return errors;
    }

    /// <summary>The config object to send: typed values, empty optional fields left out.</summary>
    public JsonObject Build(IReadOnlyDictionary<string, string?> values)
    {
        var config = new JsonObject();
        foreach (var field in Fields)
        {
            var raw = values.GetValueOrDefault(field.Name);
            if (field.Kind == "boolean")
            {
                config[field.Name] = string.Equals(raw, "true", StringComparison.OrdinalIgnoreCase);
            }
            else if (!string.IsNullOrWhiteSpace(raw) && Convert(field, raw) is { } node)
            {
                config[field.Name] = node;
            }
        }

        return config;
    }

    /// <summary>
    /// The form's text for an existing config (editing a project): strings as they are, other values as JSON; a free-form
    /// config as a whole under <paramref name="rawKey"/>.
    /// </summary>
    public Dictionary<string, string?> ToValues(JsonElement config, string rawKey)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (Fields.Count == 0)
        {
            values[rawKey] = config.ValueKind == JsonValueKind.Object ? config.GetRawText() : "{}";
            return values;
        }

        foreach (var field in Fields)
        {
            if (config.ValueKind == JsonValueKind.Object && config.TryGetProperty(field.Name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                values[field.Name] = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => value.GetRawText(),
                };
            }
        }

        return values;
    }

    /// <summary>
    /// An edited config: the form's fields over the existing config, so keys the schema does not name (written by another
    /// client) are kept, and an optional field cleared in the form is removed.
    /// </summary>
    public JsonObject Merge(JsonElement existing, IReadOnlyDictionary<string, string?> values)
    {
        var config = existing.ValueKind == JsonValueKind.Object ? JsonNode.Parse(existing.GetRawText())!.AsObject() : new JsonObject();
        foreach (var field in Fields)
        {
            config.Remove(field.Name);
        }

        foreach (var (name, node) in Build(values).ToList())
        {
            config[name] = node?.DeepClone();
        }

        return config;
    }

    private static JsonNode? Convert(ConfigField field, string raw) => field.Kind switch
    {
        "number" => double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d) : null,
        "integer" => long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l) : null,
        "boolean" => JsonValue.Create(string.Equals(raw, "true", StringComparison.OrdinalIgnoreCase)),
        "array" or "object" => ParseJson(raw, field.Kind),
        _ => JsonValue.Create(raw),
    };

    private static JsonNode? ParseJson(string raw, string kind)
    {
        try
        {
            var node = JsonNode.Parse(raw);
            return (kind == "array" && node is JsonArray) || (kind == "object" && node is JsonObject) ? node : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ConfigField FromJsonSchema(string name, JsonElement property, bool required)
    {
        var kind = "string";
        if (property.TryGetProperty("type", out var t))
        {
            // ["string","null"] is an optional string.
            var type = t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(e => e.GetString()).FirstOrDefault(s => s != "null") : t.GetString();
            kind = type is not null && ConfigSchemaShape.TypeNames.Contains(type) ? type : "string";
        }

        var options = property.TryGetProperty("enum", out var e) && e.ValueKind == JsonValueKind.Array
            ? e.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()).ToList()
            : [];
        var label = property.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String ? title.GetString()! : Humanise(name);
        var description = property.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        return new ConfigField(name, kind, required, label, description, options);
    }

    /// <summary><c>inputFolder</c> → <c>Input folder</c>.</summary>
    private static string Humanise(string name)
    {
        var words = System.Text.RegularExpressions.Regex.Replace(name, "([a-z0-9])([A-Z])", "$1 $2").Replace('_', ' ').Replace('-', ' ').ToLowerInvariant();
        return words.Length == 0 ? name : char.ToUpperInvariant(words[0]) + words[1..];
    }
}
