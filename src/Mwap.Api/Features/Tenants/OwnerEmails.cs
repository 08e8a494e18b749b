using System.Net.Mail;
using System.Security.Claims;

namespace Mwap.Api.Features.Tenants;

/// <summary>Reads the owner's notification address from the token's <c>email</c> claim.</summary>
internal static class OwnerEmails
{
    public const int MaxLength = 320;

    /// <summary>The <c>email</c> claim when it is a plain, well-formed address; otherwise null.</summary>
    public static string? From(ClaimsPrincipal user)
    {
        var value = user.FindFirst("email")?.Value?.Trim();
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength || value.Any(char.IsControl) ||
            !MailAddress.TryCreate(value, out var address) || address.Address != value || !string.IsNullOrEmpty(address.DisplayName))
        {
            return null;
        }

        return value;
    }
}
