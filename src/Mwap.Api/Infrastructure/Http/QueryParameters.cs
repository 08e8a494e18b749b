using System.Globalization;

namespace Mwap.Api.Infrastructure.Http;

/// <summary>
/// Query parameters read as text and parsed here, so a bad value is a 400 that names the parameter and the rule
/// (<c>limit must be a whole number from 1 to 200</c>) instead of the framework's anonymous binding failure.
/// </summary>
internal static class QueryParameters
{
    public static int Limit(string? value, int fallback, int max, string code = ErrorCodes.InvalidInput) =>
        WholeNumber("limit", value, 1, max, code) ?? fallback;

    public static int? WholeNumber(string name, string? value, int min, int max, string code = ErrorCodes.InvalidInput)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw Invalid(name, $"{name} must be a whole number from {min} to {max}", code);
    }

    /// <summary>An ISO-8601 date or date-time (<c>2026-11-30</c>, <c>2026-11-30T12:00:00Z</c>); without an offset it is UTC.</summary>
    public static DateTime? Timestamp(string name, string? value, string code = ErrorCodes.InvalidInput)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed.UtcDateTime
            : throw Invalid(name, $"{name} must be an ISO-8601 date or time, e.g. 2026-11-30 or 2026-11-30T12:00:00Z", code);
    }

    public static BadRequestException Invalid(string name, string rule, string code = ErrorCodes.InvalidInput) =>
        new(code, rule, new Dictionary<string, string> { [name] = rule });
}
