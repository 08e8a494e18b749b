using Mwap.Api.Infrastructure.Http;

namespace Mwap.Api.Features.Integrations.Providers;

/// <summary>
/// Provider failures as API errors, with the statuses MWAP intended (spec §6.8.10 fixed). The exception handler applies
/// this to every <see cref="ProviderException"/> a route lets through, so routes do not catch provider failures.
/// </summary>
internal static class ProviderFailures
{
    public static MwapException ToApiError(ProviderException e) => e.Kind switch
    {
        ProviderErrorKind.InvalidGrant or ProviderErrorKind.InvalidClient => new ConflictException("oauth/reconnect-required", "The connection needs to be re-authorised"),
        ProviderErrorKind.Unauthorized => new UnauthorizedException("oauth/unauthorized", "The provider rejected the integration's credentials"),
        ProviderErrorKind.Forbidden => new ForbiddenException("The provider refused access", "oauth/forbidden"),
        ProviderErrorKind.NotFound => new NotFoundException("provider/not-found", "Not found at the provider"),
        ProviderErrorKind.NotSupported => new BadRequestException("capability/not-supported", e.Message),
        ProviderErrorKind.RateLimited => new ProviderUnavailableException(429, "rate-limit/exceeded", "The provider is rate limiting; try again later"),
        _ => new ProviderUnavailableException(502, "provider/error", "The provider failed; try again later"),
    };
}

internal sealed class ProviderUnavailableException(int status, string code, string message) : MwapException(status, code, message);
