using System.Security.Claims;
using Mwap.Api.Infrastructure.Http;

namespace Mwap.Api.Infrastructure.Security;

internal static class CurrentUser
{
    /// <summary>The caller's subject (<c>sub</c>), the user id everywhere in MWAP.</summary>
    public static string GetUserId(this ClaimsPrincipal user) =>
        user.FindFirst("sub")?.Value is { Length: > 0 } sub
            ? sub
            : throw new UnauthorizedException(ErrorCodes.InvalidToken, "Invalid token - missing sub claim");
}
