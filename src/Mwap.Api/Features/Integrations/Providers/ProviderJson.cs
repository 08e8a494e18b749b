using System.Globalization;
using System.Text.Json;

namespace Mwap.Api.Features.Integrations.Providers;

/// <summary>Reading the providers' JSON: optional string properties and their timestamps.</summary>
internal static class ProviderJson
{
    /// <summary>A string property of a JSON object, or null when absent or not a string.</summary>
    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>An RFC 3339 / ISO 8601 timestamp as UTC, or null when absent or unreadable.</summary>
    public static DateTime? Time(string? text) =>
        text is not null && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : null;
}
