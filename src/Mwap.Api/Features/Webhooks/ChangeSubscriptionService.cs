using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Integrations.GoogleDrive;
using Mwap.Api.Features.Integrations.OneDrive;
using Mwap.Api.Features.Integrations.Providers;
using Mwap.Api.Features.Integrations.Tokens;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Webhooks;

/// <summary>
/// Keeps one live Graph subscription or Drive channel per connected OneDrive or Google Drive integration while webhooks
/// are on: created after connect, renewed before expiry (Graph by <c>PATCH</c>, re-created when Graph answers 404;
/// Drive by a new channel, then stopping the old one, since a channel cannot be extended), removed on delete. Nothing
/// fails silently: every create, renew and delete is logged and audited with its outcome.
/// </summary>
internal sealed partial class ChangeSubscriptionService(MwapDbContext db, TokenService tokens, ProviderChannels channels, IAuditLog audit,
    IOptions<WebhooksOptions> options, TimeProvider time, ILogger<ChangeSubscriptionService> logger)
{
    public const string MicrosoftPath = "/api/v1/webhooks/microsoft";
    public const string GooglePath = "/api/v1/webhooks/google";

    private DateTime Now => time.GetUtcNow().UtcDateTime;
    private TimeSpan Lifetime => TimeSpan.FromMinutes(options.Value.SubscriptionLifetimeMinutes);
    private TimeSpan RenewBefore => TimeSpan.FromMinutes(options.Value.RenewBeforeMinutes);

    /// <summary>
    /// Makes sure the integration has a live subscription that does not expire within the renewal window: creates or
    /// renews one. No-op when webhooks are off, for other providers, and for integrations that are not connected.
    /// </summary>
    public async Task EnsureAsync(string integrationId, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || await TargetAsync(integrationId, cancellationToken) is not { } target)
        {
            return;
        }

        var now = Now;
        var live = await db.Set<ChangeSubscription>().Where(s => s.IntegrationId == integrationId && s.ExpiresAt > now)
            .OrderByDescending(s => s.ExpiresAt).FirstOrDefaultAsync(cancellationToken);
        if (live is null)
        {
            await CreateAsync(target, reason: "connect", cancellationToken);
        }
        else if (live.ExpiresAt <= now + RenewBefore)
        {
            await RenewAsync(target, live, cancellationToken);
        }
    }

    /// <summary>
    /// The recurring job's work: forgets expired rows, then renews every subscription due and creates the missing ones
    /// (integrations connected before webhooks were turned on, or whose creation failed). Returns how many it looked at.
    /// </summary>
    public async Task<int> RenewDueAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return 0;
        }

        var now = Now;
        await db.Set<ChangeSubscription>().Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        var due = await db.Set<ChangeSubscription>().Where(s => s.ExpiresAt <= now + RenewBefore).Select(s => s.IntegrationId).ToListAsync(cancellationToken);
        var providerIds = (await db.Set<CloudProvider>().AsNoTracking().ToListAsync(cancellationToken))
            .Where(p => ProviderRegistry.KindOf(p) is OneDriveClient.Slug or GoogleDriveClient.Slug).Select(p => p.Id).ToList();
        var missing = await db.Set<CloudIntegration>().AsNoTracking()
            .Where(i => providerIds.Contains(i.ProviderId) && (i.Status == IntegrationStatus.Active || i.Status == IntegrationStatus.Error)
                && i.EncryptedAccessToken != null && !db.Set<ChangeSubscription>().Any(s => s.IntegrationId == i.Id))
            .Select(i => i.Id).ToListAsync(cancellationToken);
        var ids = due.Concat(missing).Distinct(StringComparer.Ordinal).ToList();
        foreach (var id in ids)
        {
            // One integration's failure (already logged and audited) must not stop the others.
            db.ChangeTracker.Clear();
            await EnsureAsync(id, cancellationToken);
        }

        LogRenewalRun(logger, ids.Count);
        return ids.Count;
    }

    /// <summary>Deletes the integration's subscriptions at the provider (best effort) and here. Call while its tokens still work.</summary>
    public async Task RemoveAsync(CloudIntegration integration, CancellationToken cancellationToken)
    {
        var rows = await db.Set<ChangeSubscription>().Where(s => s.IntegrationId == integration.Id).ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            var outcome = await StopAtProviderAsync(row, cancellationToken);
            db.Remove(row);
            audit.Record("webhook.subscription.delete", "cloud-integration", integration.Id, integration.TenantId,
                new { kind = row.Kind, subscriptionId = row.ExternalId, outcome }, outcome == "failed" ? AuditOutcome.Failure : AuditOutcome.Success);
        }

        if (rows.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private async Task<bool> CreateAsync(Target target, string reason, CancellationToken cancellationToken)
    {
        var secret = Base64UrlSecret();
        var expiresAt = Now + Lifetime;
        var baseUrl = options.Value.PublicBaseUrl!.TrimEnd('/');
        try
        {
            var created = await tokens.WithAccessTokenAsync(target.IntegrationId, (config, _, token) => target.Kind == ChangeSubscriptionKinds.Microsoft
                ? channels.CreateGraphAsync(config, token, baseUrl + MicrosoftPath, secret, expiresAt, cancellationToken)
                : channels.WatchDriveAsync(config, token, Guid.NewGuid().ToString("N"), baseUrl + GooglePath, secret, expiresAt, cancellationToken),
                cancellationToken);
            db.Add(new ChangeSubscription
            {
                Id = ObjectId.NewId(time.GetUtcNow()),
                TenantId = target.TenantId,
                IntegrationId = target.IntegrationId,
                Kind = target.Kind,
                ExternalId = created.ExternalId,
                ResourceId = created.ResourceId,
                SecretHash = Infrastructure.Security.SecretHash.ToHex(secret),
                ExpiresAt = created.ExpiresAt,
            });
            audit.Record("webhook.subscription.create", "cloud-integration", target.IntegrationId, target.TenantId,
                new { kind = target.Kind, subscriptionId = created.ExternalId, expiresAt = created.ExpiresAt, reason });
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is ProviderException or SecretUnavailableException or HttpRequestException)
        {
            await FailedAsync("create", target, null, e, cancellationToken);
            return false;
        }
    }

    private async Task RenewAsync(Target target, ChangeSubscription live, CancellationToken cancellationToken)
    {
        if (target.Kind == ChangeSubscriptionKinds.Google)
        {
            // A Drive channel cannot be extended: open the next one first (no gap), then stop the old one.
            if (await CreateAsync(target, reason: "renew", cancellationToken))
            {
                await StopAtProviderAsync(live, cancellationToken);
                db.Remove(live);
                await db.SaveChangesAsync(cancellationToken);
            }

            return;
        }

        var expiresAt = Now + Lifetime;
        try
        {
            live.ExpiresAt = await tokens.WithAccessTokenAsync(target.IntegrationId,
                (config, _, token) => channels.RenewGraphAsync(config, token, live.ExternalId, expiresAt, cancellationToken), cancellationToken);
            audit.Record("webhook.subscription.renew", "cloud-integration", target.IntegrationId, target.TenantId,
                new { kind = target.Kind, subscriptionId = live.ExternalId, expiresAt = live.ExpiresAt });
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (ProviderException e) when (e.Kind == ProviderErrorKind.NotFound)
        {
            // Graph dropped it (expired early, or removed on its side): a new one, with a new secret.
            LogRecreated(logger, live.ExternalId, target.IntegrationId);
            db.Remove(live);
            await db.SaveChangesAsync(cancellationToken);
            await CreateAsync(target, reason: "renew-not-found", cancellationToken);
        }
        catch (Exception e) when (e is ProviderException or SecretUnavailableException or HttpRequestException)
        {
            await FailedAsync("renew", target, live.ExternalId, e, cancellationToken);
        }
    }

    /// <summary><c>deleted</c>, <c>gone</c> (the provider no longer had it) or <c>failed</c> (logged).</summary>
    private async Task<string> StopAtProviderAsync(ChangeSubscription row, CancellationToken cancellationToken)
    {
        try
        {
            await tokens.WithAccessTokenAsync(row.IntegrationId, async (config, _, token) =>
            {
                if (row.Kind == ChangeSubscriptionKinds.Microsoft)
                {
                    await channels.DeleteGraphAsync(config, token, row.ExternalId, cancellationToken);
                }
                else
                {
                    await channels.StopDriveAsync(config, token, row.ExternalId, row.ResourceId ?? "", cancellationToken);
                }

                return true;
            }, cancellationToken);
            return "deleted";
        }
        catch (ProviderException e) when (e.Kind == ProviderErrorKind.NotFound)
        {
            return "gone";
        }
        catch (Exception e) when (e is ProviderException or SecretUnavailableException or HttpRequestException)
        {
            LogFailed(logger, "delete", row.Kind, row.IntegrationId, e.Message);
            return "failed";
        }
    }

    private async Task FailedAsync(string operation, Target target, string? subscriptionId, Exception e, CancellationToken cancellationToken)
    {
        LogFailed(logger, operation, target.Kind, target.IntegrationId, e.Message);
        db.ChangeTracker.Clear();
        audit.Record($"webhook.subscription.{operation}", "cloud-integration", target.IntegrationId, target.TenantId,
            new { kind = target.Kind, subscriptionId, error = e is ProviderException pe ? pe.Kind.ToString() : e.GetType().Name, message = e.Message },
            AuditOutcome.Failure);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<Target?> TargetAsync(string integrationId, CancellationToken cancellationToken)
    {
        var row = await (from i in db.Set<CloudIntegration>().AsNoTracking()
                         join p in db.Set<CloudProvider>().AsNoTracking() on i.ProviderId equals p.Id
                         where i.Id == integrationId && (i.Status == IntegrationStatus.Active || i.Status == IntegrationStatus.Error)
                             && i.EncryptedAccessToken != null
                         select new { i.TenantId, Provider = p }).FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        return ProviderRegistry.KindOf(row.Provider) switch
        {
            OneDriveClient.Slug => new Target(integrationId, row.TenantId, ChangeSubscriptionKinds.Microsoft),
            GoogleDriveClient.Slug => new Target(integrationId, row.TenantId, ChangeSubscriptionKinds.Google),
            _ => null,
        };
    }

    private static string Base64UrlSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record Target(string IntegrationId, string TenantId, string Kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook subscription {Operation} failed ({Kind}, integration {IntegrationId}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string operation, string kind, string integrationId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Graph no longer has subscription {SubscriptionId} of integration {IntegrationId}; creating a new one")]
    private static partial void LogRecreated(ILogger logger, string subscriptionId, string integrationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook subscription job looked at {Count} integrations")]
    private static partial void LogRenewalRun(ILogger logger, int count);
}
