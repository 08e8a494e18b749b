using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Integrations.Providers;
using Mwap.Api.Features.Integrations.Tokens;
using Mwap.Api.Infrastructure.Observability;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Integrations.Health;

/// <summary>MWAP's health answer (spec §6.8.7) plus the stored health the guide defines.</summary>
internal sealed record HealthResult(string Status, DateTime LastChecked, string Message, IntegrationHealthResponse Health);

/// <summary>
/// Calls the account endpoint and records the outcome in <c>health</c>: one failure degrades, three in a row make the
/// integration unhealthy. It writes no token itself (a refresh, when needed, goes through <see cref="TokenService"/>).
/// </summary>
internal sealed class IntegrationHealthService(MwapDbContext db, TokenService tokens, IntegrationReadCache integrationReads, TimeProvider time)
{
    public const int UnhealthyAfter = 3;

    public async Task<HealthResult> CheckAsync(string integrationId, CancellationToken cancellationToken)
    {
        var integration = await db.Set<CloudIntegration>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == integrationId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (integration is null)
        {
            return new HealthResult("error", now, "Cloud provider integration not found", new IntegrationHealthResponse("unknown", null, 0, null));
        }

        if (integration.EncryptedAccessToken is null)
        {
            return await RecordAsync(integrationId, "unauthorized", "No access token available", success: false, cancellationToken);
        }

        if (integration.Status == IntegrationStatus.Expired)
        {
            return await RecordAsync(integrationId, "expired", "The connection needs to be re-authorised", success: false, cancellationToken);
        }

        try
        {
            var account = await tokens.WithAccessTokenAsync(integrationId, (config, client, token) => client.GetAccountAsync(config, token, cancellationToken), cancellationToken);
            // A Dropbox account that joined or left a team space since it connected: its file calls follow the new root.
            await tokens.StorePathRootAsync(integrationId, account.RootNamespaceId, cancellationToken);
            return await RecordAsync(integrationId, "healthy", "Token is valid and working", success: true, cancellationToken);
        }
        catch (ProviderException e)
        {
            var (status, message) = e.Kind switch
            {
                ProviderErrorKind.InvalidGrant or ProviderErrorKind.InvalidClient => ("expired", "The connection needs to be re-authorised"),
                ProviderErrorKind.Unauthorized => ("unauthorized", "Token is invalid or revoked"),
                ProviderErrorKind.Forbidden => ("expired", "Token has expired or insufficient permissions"),
                ProviderErrorKind.RateLimited => ("error", "Provider rate limit exceeded; retry later"),
                _ => ("error", "Token validation failed"),
            };
            return await RecordAsync(integrationId, status, message, success: false, cancellationToken);
        }
    }

    /// <summary>
    /// Writes only the health columns, atomically in SQL: concurrent checks of one integration (20 requests at once, or a
    /// request beside the job) neither lose an error count nor collide with a token refresh on the row's version.
    /// </summary>
    private async Task<HealthResult> RecordAsync(string integrationId, string status, string message, bool success, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var integrations = db.Set<CloudIntegration>().Where(i => i.Id == integrationId);
        if (success)
        {
            await integrations.ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Health.Status, "healthy")
                .SetProperty(i => i.Health.ErrorCount, 0)
                .SetProperty(i => i.Health.LastError, (string?)null)
                .SetProperty(i => i.Health.LastCheck, now)
                .SetProperty(i => i.Status, i => i.Status == IntegrationStatus.Error ? IntegrationStatus.Active : i.Status), cancellationToken);
        }
        else
        {
            var forceUnhealthy = status is "expired" or "unauthorized";
            await integrations.ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Health.Status, i => forceUnhealthy || i.Health.ErrorCount + 1 >= UnhealthyAfter ? "unhealthy" : "degraded")
                .SetProperty(i => i.Health.ErrorCount, i => i.Health.ErrorCount + 1)
                .SetProperty(i => i.Health.LastError, message)
                .SetProperty(i => i.Health.LastCheck, now), cancellationToken);
        }

        await integrationReads.ChangedAsync(integrationId, CancellationToken.None);
        var health = await integrations.AsNoTracking().Select(i => i.Health).FirstAsync(cancellationToken);
        MwapMetrics.RecordHealthCheck(health.Status);
        return new HealthResult(status, now, message, new IntegrationHealthResponse(health.Status, health.LastCheck, health.ErrorCount, health.LastError));
    }
}
