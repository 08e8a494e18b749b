using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Integrations.Providers;
using Mwap.Api.Infrastructure.Observability;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Integrations.Tokens;

/// <summary>
/// The one place tokens are read, refreshed and stored. Only one refresh runs per integration at a time, across
/// requests, jobs and instances: a lease is taken with an atomic conditional update, and whoever loses the race waits
/// for the winner and re-reads the stored token instead of refreshing again.
/// </summary>
internal sealed partial class TokenService(
    MwapDbContext db, ProviderRegistry providers, ISecretProtector secrets, IAuditLog audit, IntegrationLeases leases, IntegrationReadCache integrationReads, TimeProvider time, ILogger<TokenService> logger)
{
    public const string AccessTokenField = "access_token";
    public const string RefreshTokenField = "refresh_token";
    /// <summary>The refresh lease's length; it is renewed every quarter of it while the provider call runs.</summary>
    public static readonly TimeSpan LeaseLength = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ExpirySlack = TimeSpan.FromSeconds(60);

    public static SecretContext AccessContext(string integrationId) => new(CloudIntegration.TableName, integrationId, AccessTokenField);

    public static SecretContext RefreshContext(string integrationId) => new(CloudIntegration.TableName, integrationId, RefreshTokenField);

    /// <summary>Encrypts and stores a fresh token set (after a code exchange or a refresh) and marks the integration active.</summary>
    public void Store(CloudIntegration integration, TokenSet tokens)
    {
        var now = time.GetUtcNow().UtcDateTime;
        integration.EncryptedAccessToken = secrets.Protect(tokens.AccessToken, AccessContext(integration.Id));
        integration.EncryptedRefreshToken = tokens.RefreshToken is null ? null : secrets.Protect(tokens.RefreshToken, RefreshContext(integration.Id));
        integration.TokenExpiresAt = now.AddSeconds(Math.Max(tokens.ExpiresInSeconds, 60));
        // RFC 6749 §5.1/§6: a token answer without scope (Dropbox's and Google's refreshes) grants what was granted before.
        if (tokens.Scopes.Count > 0)
        {
            integration.ScopesGranted = [.. tokens.Scopes];
        }

        integration.LastRefreshedAt = now;
        integration.Status = IntegrationStatus.Active;
    }

    /// <summary>
    /// Runs a provider call with a valid access token. A token about to expire is refreshed first; a 401 from the
    /// provider refreshes once and retries once.
    /// </summary>
    public async Task<T> WithAccessTokenAsync<T>(string integrationId, Func<ProviderConfig, ICloudStorageClient, string, Task<T>> call, CancellationToken cancellationToken)
    {
        var (integration, provider) = await LoadAsync(integrationId, cancellationToken);
        if (integration.EncryptedAccessToken is null)
        {
            throw new ProviderException(ProviderErrorKind.Unauthorized, 401, "The integration is not connected");
        }

        if (integration.TokenExpiresAt is { } expires && expires - ExpirySlack <= time.GetUtcNow().UtcDateTime && integration.EncryptedRefreshToken is not null)
        {
            integration = await RefreshAsync(integrationId, integration.EncryptedAccessToken, cancellationToken);
        }

        var config = providers.Configure(provider) with { PathRoot = integration.Account.RootNamespaceId };
        var client = providers.ClientFor(provider);
        var token = secrets.Unprotect(integration.EncryptedAccessToken!, AccessContext(integrationId));
        try
        {
            var result = await call(config, client, token);
            await CountRequestAsync(integrationId, cancellationToken);
            return result;
        }
        catch (ProviderException e) when (e.Kind == ProviderErrorKind.PathRootChanged)
        {
            // The Dropbox team's root namespace moved: re-read the account, store the new root, retry once.
            config = await RereadPathRootAsync(integrationId, config, client, token, cancellationToken);
            var result = await call(config, client, token);
            await CountRequestAsync(integrationId, cancellationToken);
            return result;
        }
        catch (ProviderException e) when (e.Kind == ProviderErrorKind.Unauthorized && integration.EncryptedRefreshToken is not null)
        {
            integration = await RefreshAsync(integrationId, integration.EncryptedAccessToken, cancellationToken);
            var fresh = secrets.Unprotect(integration.EncryptedAccessToken!, AccessContext(integrationId));
            var result = await call(config, client, fresh);
            await CountRequestAsync(integrationId, cancellationToken);
            return result;
        }
    }

    /// <summary>
    /// Refreshes the integration's tokens unless someone already replaced <paramref name="staleAccessToken"/>
    /// (pass null to refresh unconditionally). Returns the integration as stored afterwards.
    /// </summary>
    public async Task<CloudIntegration> RefreshAsync(string integrationId, string? staleAccessToken, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + LeaseLength + TimeSpan.FromSeconds(5);
        while (true)
        {
            var lease = await leases.TryTakeAsync(integrationId, IntegrationLeaseKind.TokenRefresh, LeaseLength, cancellationToken);
            if (lease is not null)
            {
                await using (lease)
                {
                    try
                    {
                        return await RefreshUnderLeaseAsync(integrationId, staleAccessToken, lease, cancellationToken);
                    }
                    catch (OperationCanceledException) when (lease.IsLost && !cancellationToken.IsCancellationRequested)
                    {
                        throw new ProviderException(ProviderErrorKind.Unavailable, 503, "The token refresh lost its lease and stopped");
                    }
                }
            }

            // Someone else is refreshing: wait for their result rather than refreshing the same grant twice.
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
            var current = await db.Set<CloudIntegration>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == integrationId, cancellationToken)
                ?? throw new ProviderException(ProviderErrorKind.NotFound, 404, "Integration not found");
            if (current.RefreshLeaseUntil is null && (staleAccessToken is null || current.EncryptedAccessToken != staleAccessToken))
            {
                return current;
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new ProviderException(ProviderErrorKind.Unavailable, 503, "Another refresh of this integration did not finish in time");
            }
        }
    }

    private async Task<CloudIntegration> RefreshUnderLeaseAsync(string integrationId, string? staleAccessToken, IntegrationLease lease, CancellationToken cancellationToken)
    {
        // A refresh that lost its lease stops: someone else may be redeeming the same (possibly rotating) refresh token.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        var ct = stop.Token;
        var (integration, provider) = await LoadAsync(integrationId, ct, tracking: true);
        try
        {
            if (staleAccessToken is not null && integration.EncryptedAccessToken != staleAccessToken)
            {
                return integration; // refreshed by someone else between our read and the lease
            }

            if (integration.EncryptedRefreshToken is null)
            {
                throw new ProviderException(ProviderErrorKind.InvalidGrant, 400, "Integration does not have a refresh token");
            }

            var refreshToken = secrets.Unprotect(integration.EncryptedRefreshToken, RefreshContext(integrationId));
            try
            {
                var tokens = await providers.ClientFor(provider).RefreshAsync(providers.Configure(provider), refreshToken, ct);
                Store(integration, tokens);
                MwapMetrics.RecordTokenRefresh(succeeded: true);
                audit.Record("integration.tokens.refresh", "cloud-integration", integrationId, integration.TenantId,
                    new { provider = provider.Slug, rotated = tokens.RefreshToken != refreshToken });
            }
            catch (ProviderException e) when (e.Kind is ProviderErrorKind.InvalidGrant or ProviderErrorKind.InvalidClient)
            {
                MwapMetrics.RecordTokenRefresh(succeeded: false);
                // The grant is gone: the owner must reconnect. Stop retrying until they do.
                integration.Status = IntegrationStatus.Expired;
                integration.Health.Status = "unhealthy";
                integration.Health.LastError = e.Message;
                integration.Health.ErrorCount++;
                integration.Health.LastCheck = time.GetUtcNow().UtcDateTime;
                audit.Record("integration.tokens.refresh", "cloud-integration", integrationId, integration.TenantId,
                    new { provider = provider.Slug, error = e.Kind.ToString() }, AuditOutcome.Failure);
                LogReconsent(logger, integrationId, e.Kind.ToString());
                await db.SaveChangesAsync(ct);
                throw;
            }
            catch (ProviderException)
            {
                MwapMetrics.RecordTokenRefresh(succeeded: false);
                throw;
            }

            await db.SaveChangesAsync(ct);
            return integration;
        }
        finally
        {
            // The lease itself is given back when the caller disposes it, after the tokens are stored.
            db.ChangeTracker.Clear();
        }
    }

    private async Task<(CloudIntegration Integration, CloudProvider Provider)> LoadAsync(string integrationId, CancellationToken cancellationToken, bool tracking = false)
    {
        var integrations = tracking ? db.Set<CloudIntegration>() : db.Set<CloudIntegration>().AsNoTracking();
        var integration = await integrations.FirstOrDefaultAsync(i => i.Id == integrationId, cancellationToken)
            ?? throw new ProviderException(ProviderErrorKind.NotFound, 404, "Integration not found");
        var provider = await db.Set<CloudProvider>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == integration.ProviderId, cancellationToken)
            ?? throw new ProviderException(ProviderErrorKind.NotFound, 404, "Cloud provider not found");
        return (integration, provider);
    }

    /// <summary>Re-reads the account's root namespace (without a path root) and stores it when it changed.</summary>
    private async Task<ProviderConfig> RereadPathRootAsync(string integrationId, ProviderConfig config, ICloudStorageClient client, string token, CancellationToken cancellationToken)
    {
        var account = await client.GetAccountAsync(config with { PathRoot = null }, token, cancellationToken);
        await StorePathRootAsync(integrationId, account.RootNamespaceId, cancellationToken);
        return config with { PathRoot = account.RootNamespaceId };
    }

    /// <summary>Stores the account's root namespace (Dropbox team spaces) when it differs from the stored one.</summary>
    public async Task StorePathRootAsync(string integrationId, string? rootNamespaceId, CancellationToken cancellationToken)
    {
        var changed = await db.Set<CloudIntegration>().Where(i => i.Id == integrationId && i.Account.RootNamespaceId != rootNamespaceId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Account.RootNamespaceId, rootNamespaceId), cancellationToken);
        if (changed > 0)
        {
            LogPathRoot(logger, integrationId, rootNamespaceId ?? "(home)");
        }
    }

    private async Task CountRequestAsync(string integrationId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await db.Set<CloudIntegration>().Where(i => i.Id == integrationId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Usage.TotalRequests, i => i.Usage.TotalRequests + 1).SetProperty(i => i.Usage.LastRequest, now), cancellationToken);
        // The usage counters are in the tenant's cached list of integrations.
        await integrationReads.ChangedAsync(integrationId, CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Integration {IntegrationId}: Dropbox root namespace is now {RootNamespaceId}")]
    private static partial void LogPathRoot(ILogger logger, string integrationId, string rootNamespaceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Integration {IntegrationId} needs re-consent ({Reason}); refreshes stop until it is reconnected")]
    private static partial void LogReconsent(ILogger logger, string integrationId, string reason);
}
