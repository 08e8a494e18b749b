using System.Text.Json;

namespace Mwap.Contracts;

/// <summary>The three forms a project type's <c>configSchema</c> takes; every JSON object is one of them.</summary>
public enum ConfigSchemaForm
{
    /// <summary>MWAP's client's form: field name → type name (<c>{"inputFolder":"string"}</c>); <c>?</c> marks an optional field.</summary>
    FieldMap,

    /// <summary>A JSON Schema document (draft 2020-12 unless <c>$schema</c> says otherwise).</summary>
    JsonSchema,

    /// <summary>Any other object: stored and echoed as sent, validating nothing (MWAP never looked inside).</summary>
    Opaque,
}

/// <summary>
/// How a <c>configSchema</c> is recognised, shared by the server (which validates configs against it) and the console
/// (which builds the form from it), so both always agree on which form a schema is: <c>{"type":"string"}</c> is a JSON
/// Schema, not a field map with a field called <c>type</c>.
/// </summary>
public static class ConfigSchemaShape
{
    /// <summary>Top-level keywords that make an object a JSON Schema.</summary>
    public static IReadOnlyList<string> SchemaKeywords { get; } = ["$schema", "type", "properties", "$ref", "allOf", "anyOf", "oneOf", "items", "required"];

    /// <summary>The type names of the field-map form (compared case-insensitively).</summary>
    public static IReadOnlyList<string> TypeNames { get; } = ["string", "number", "integer", "boolean", "array", "object"];

    /// <summary>The form of <paramref name="schema"/>; anything that is not an object is <see cref="ConfigSchemaForm.Opaque"/>.</summary>
    public static ConfigSchemaForm FormOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return ConfigSchemaForm.Opaque;
        }

        if (SchemaKeywords.Any(k => schema.TryGetProperty(k, out _)))
        {
            return ConfigSchemaForm.JsonSchema;
        }

        return schema.EnumerateObject().All(p => FieldType(p.Value) is not null) ? ConfigSchemaForm.FieldMap : ConfigSchemaForm.Opaque;
    }

    /// <summary>A field-map entry's type (lower case) and whether it is optional; null when the value is not a type name.</summary>
    public static (string Type, bool Optional)? FieldType(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
        {
            return null;
        }

        var optional = text.EndsWith('?');
        var name = (optional ? text[..^1] : text).Trim().ToLowerInvariant();
        return TypeNames.Contains(name, StringComparer.Ordinal) ? (name, optional) : null;
    }
}
