using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Integrations.Providers;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Integrations;

/// <summary>
/// Revokes an integration's grant at its provider, best effort: deleting an integration, or the tenant that owns it, must
/// not leave a live grant behind, but a provider that is down cannot keep our row alive either. The outcome is one word
/// for the audit entry: <c>revoked</c>, <c>not-supported</c>, <c>no-tokens</c>, <c>provider-missing</c> or <c>failed</c>.
/// </summary>
internal sealed partial class IntegrationRevocation(MwapDbContext db, ProviderRegistry providers, ISecretProtector secrets, Tokens.TokenService tokens,
    Webhooks.ChangeSubscriptionService subscriptions, ILogger<IntegrationRevocation> logger)
{
    public async Task<string> RevokeAsync(CloudIntegration integration, CancellationToken cancellationToken)
    {
        if (integration.EncryptedAccessToken is null)
        {
            return "no-tokens";
        }

        // Change-notification subscriptions first: deleting them needs the grant that is about to be revoked.
        await subscriptions.RemoveAsync(integration, cancellationToken);

        var provider = await db.Set<CloudProvider>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == integration.ProviderId, cancellationToken);
        if (provider is null)
        {
            return "provider-missing";
        }

        try
        {
            var access = secrets.Unprotect(integration.EncryptedAccessToken, Tokens.TokenService.AccessContext(integration.Id));
            var refresh = integration.EncryptedRefreshToken is null ? null : secrets.Unprotect(integration.EncryptedRefreshToken, Tokens.TokenService.RefreshContext(integration.Id));
            try
            {
                return await providers.ClientFor(provider).RevokeAsync(providers.Configure(provider), access, refresh, cancellationToken) ? "revoked" : "not-supported";
            }
            catch (ProviderException e) when (e.Kind == ProviderErrorKind.Unauthorized && refresh is not null)
            {
                // Dropbox revokes by access token, and an expired one revokes nothing (a 401 is not "revoked"): refresh,
                // then revoke with the new token, so the refresh token does not stay alive at Dropbox.
                return await tokens.WithAccessTokenAsync(integration.Id, (config, client, token) => client.RevokeAsync(config, token, refresh, cancellationToken),
                    cancellationToken) ? "revoked" : "not-supported";
            }
        }
        catch (Exception e) when (e is ProviderException or SecretUnavailableException or HttpRequestException)
        {
            LogRevokeFailed(logger, integration.Id, e.Message);
            return "failed";
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revoking the grant of integration {IntegrationId} failed: {Reason}")]
    private static partial void LogRevokeFailed(ILogger logger, string integrationId, string reason);
}
