using System.ComponentModel.DataAnnotations;

namespace Mwap.Api.Infrastructure.Http;

/// <summary>
/// A display string: length checked after trimming (MWAP checked before, so spaces could pad a short name),
/// and no angle brackets or control characters. MWAP silently deleted <c>&lt;</c> and <c>&gt;</c>; we refuse
/// them so what is stored is exactly what the client sent.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class SafeTextAttribute(int minLength, int maxLength) : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is null)
        {
            return ValidationResult.Success;
        }

        var members = validationContext.MemberName is { } m ? new[] { m } : null;
        if (value is not string text)
        {
            return new ValidationResult("Must be a string", members);
        }

        var trimmed = text.Trim();
        if (trimmed.Length < minLength || trimmed.Length > maxLength)
        {
            return new ValidationResult($"Must be {minLength}–{maxLength} characters long", members);
        }

        if (trimmed.AsSpan().IndexOfAny('<', '>') >= 0 || trimmed.Any(char.IsControl))
        {
            return new ValidationResult("Must not contain '<', '>' or control characters", members);
        }

        return ValidationResult.Success;
    }
}
