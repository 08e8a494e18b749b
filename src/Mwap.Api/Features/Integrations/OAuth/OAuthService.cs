using System.Security.Cryptography;
using System.Text;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Files;
using Mwap.Api.Features.Integrations.Health;
using Mwap.Api.Features.Integrations.Providers;
using Mwap.Api.Features.Integrations.Tokens;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Integrations.OAuth;

internal sealed record InitiateResponse(string AuthorizationUrl, InitiateProvider Provider, string RedirectUri, string State);

internal sealed record InitiateProvider(string Name, string DisplayName, string Slug);

/// <summary>A started flow: the response, and the browser-binding cookie the endpoint sets (value, path, lifetime).</summary>
internal sealed record InitiatedFlow(InitiateResponse Response, string IntegrationId, string BrowserBinding, string CallbackPath, TimeSpan Lifetime);

/// <summary>Where the callback sends the browser, and the integration whose binding cookie is spent (null when no flow matched).</summary>
internal sealed record CallbackResult(string Location, string? IntegrationId);

/// <summary>The backend-driven OAuth connect flow (spec §7), with every defect of §14 fixed.</summary>
internal sealed partial class OAuthService(
    MwapDbContext db,
    ProviderRegistry providers,
    TokenService tokens,
    ISecretProtector secrets,
    IRoleResolver roles,
    IAuditLog audit,
    OAuthKeys keys,
    OAuthCallbackFailureCounter failures,
    SyncRequests syncRequests,
    IOptions<OAuthOptions> options,
    IOptions<Webhooks.WebhooksOptions> webhooks,
    IBackgroundJobClient jobs,
    TimeProvider time,
    ILogger<OAuthService> logger)
{
    public const string SuccessPath = "/api/v1/oauth/success";
    public const string ErrorPath = "/api/v1/oauth/error";

    /// <summary>The error page's code (and the audit entry's) when the callback arrives in another browser than the one that started the flow.</summary>
    public const string SessionMismatchCode = "oauth/session-mismatch";

    public async Task<InitiatedFlow> InitiateAsync(string tenantId, string integrationId, string userId, string requestBaseUrl, CancellationToken cancellationToken)
    {
        var integration = await db.Set<CloudIntegration>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == integrationId && i.TenantId == tenantId, cancellationToken)
            ?? throw new NotFoundException("cloud-integration/not-found", "Cloud provider integration not found");
        var provider = await db.Set<CloudProvider>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == integration.ProviderId, cancellationToken)
            ?? throw new NotFoundException("cloud-provider/not-found", "Cloud provider not found");

        var now = time.GetUtcNow();
        var nonce = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(64));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var lifetime = TimeSpan.FromMinutes(Math.Clamp(options.Value.StateLifetimeMinutes, 1, 60));
        var redirectUri = RedirectUri(requestBaseUrl);
        var state = OAuthState.Create(new OAuthStatePayload(tenantId, integrationId, userId, now.ToUnixTimeMilliseconds(), nonce,
            now.ToUnixTimeSeconds(), now.Add(lifetime).ToUnixTimeSeconds()), keys.StateKey);

        // A new flow supersedes any unfinished one: its state stops working, so only the latest popup can complete.
        await db.Set<OAuthFlow>().Where(f => f.IntegrationId == integrationId).ExecuteDeleteAsync(cancellationToken);
        var binding = OAuthBrowserBinding.NewValue();
        var flow = new OAuthFlow
        {
            Id = ObjectId.NewId(now),
            TenantId = tenantId,
            IntegrationId = integrationId,
            UserId = userId,
            Nonce = nonce,
            BrowserBindingHash = OAuthBrowserBinding.Hash(binding),
            ExpiresAt = now.Add(lifetime).UtcDateTime,
            CreatedAt = now.UtcDateTime,
        };
        flow.EncryptedCodeVerifier = secrets.Protect(verifier, VerifierContext(flow.Id));
        db.Add(flow);
        audit.Record("oauth.flow.initiated", "cloud-integration", integrationId, tenantId, new { provider = provider.Slug, flowId = flow.Id });
        await db.SaveChangesAsync(cancellationToken);

        var url = providers.ClientFor(provider).BuildAuthorizationUrl(providers.Configure(provider), redirectUri, state, challenge);
        var response = new InitiateResponse(url, new InitiateProvider(provider.Name, provider.DisplayName ?? provider.Name, provider.Slug), redirectUri, state);
        return new InitiatedFlow(response, integrationId, binding, new Uri(redirectUri).AbsolutePath, lifetime);
    }

    /// <summary>
    /// Handles the provider's redirect; always answers with where to send the browser next. <paramref name="cookie"/> reads
    /// the request's cookies (the browser binding). Refusals before a live flow matches are only counted per address and
    /// minute (<see cref="OAuthCallbackFailureCounter"/>); from the matched flow on, every outcome is audited on its own.
    /// </summary>
    public async Task<CallbackResult> CallbackAsync(string? code, string? state, string? error, string requestBaseUrl, Func<string, string?> cookie,
        CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(error))
        {
            // The user declined (or the provider failed) on a real flow: spend it and audit; anything else is noise.
            var declined = string.IsNullOrEmpty(state) ? null : await ClaimAsync(state, cancellationToken);
            return declined is null
                ? await RejectAsync("PROVIDER_ERROR", "Authentication failed")
                : await FailAsync("PROVIDER_ERROR", "Authentication failed", declined.Value.Payload, new { providerError = Truncate(error) });
        }

        if (string.IsNullOrEmpty(code) || string.IsNullOrEmpty(state))
        {
            return await RejectAsync("MISSING_PARAMETERS", "Invalid request parameters");
        }

        var (failure, payload) = OAuthState.Verify(state, keys.StateKey);
        switch (failure)
        {
            case OAuthState.Failure.Malformed:
                return await RejectAsync("STATE_DECODE_ERROR", "Invalid request format");
            case OAuthState.Failure.BadSignature:
                return await RejectAsync("INVALID_STATE_SIGNATURE", "An error occurred during authentication");
            case OAuthState.Failure.BadStructure:
                return await RejectAsync("INVALID_STATE_STRUCTURE", "Invalid request parameters");
        }

        var p = payload!;
        var now = time.GetUtcNow();
        if (p.Exp < now.ToUnixTimeSeconds() || p.Timestamp > now.AddSeconds(5).ToUnixTimeMilliseconds())
        {
            return await RejectAsync("STATE_EXPIRED", "Request has expired, please try again");
        }

        if (p.Nonce.Length < 16 || p.Nonce.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return await RejectAsync("INVALID_NONCE", "Invalid security token");
        }

        var claimed = await ClaimAsync(state, cancellationToken);
        if (claimed is null)
        {
            return await RejectAsync("INVALID_OR_REPLAYED_STATE", "Invalid security token");
        }

        var flow = claimed.Value.Flow;
        if (!OAuthBrowserBinding.Matches(cookie(OAuthBrowserBinding.CookieName(flow.IntegrationId)), flow.BrowserBindingHash))
        {
            // Not the browser that started the flow: someone else's authorization URL was opened here. The flow is spent.
            return await FailAsync(SessionMismatchCode, "This connection was started in another browser. Start it again from the app.", p, null);
        }

        if (flow.ExpiresAt < now.UtcDateTime)
        {
            return await FailAsync("STATE_EXPIRED", "Request has expired, please try again", p, null);
        }

        var integration = await db.Set<CloudIntegration>().FirstOrDefaultAsync(i => i.Id == p.IntegrationId, cancellationToken);
        if (integration is null)
        {
            return await FailAsync("INTEGRATION_NOT_FOUND", "Integration not found", p, null);
        }

        var userRoles = await roles.GetAsync(p.UserId, cancellationToken);
        if (integration.TenantId != p.TenantId || !(userRoles.IsSuperAdmin || userRoles.TenantId == p.TenantId))
        {
            // The user lost ownership since the flow started, or the state names another tenant's integration.
            return await FailAsync("INTEGRATION_NOT_ACCESSIBLE", "Integration not accessible", p, null);
        }

        var provider = await db.Set<CloudProvider>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == integration.ProviderId, cancellationToken);
        if (provider is null)
        {
            return await FailAsync("PROVIDER_UNAVAILABLE", "Service temporarily unavailable", p, null);
        }

        try
        {
            var verifier = secrets.Unprotect(flow.EncryptedCodeVerifier, VerifierContext(flow.Id));
            var config = providers.Configure(provider);
            var client = providers.ClientFor(provider);
            var tokenSet = await client.ExchangeCodeAsync(config, code, RedirectUri(requestBaseUrl), verifier, cancellationToken);
            var scopesOk = client.HasRequiredScopes(tokenSet.Scopes);
            // Without the storage scope the account call may be refused too; the connection is kept, marked unhealthy.
            var account = scopesOk
                ? await client.GetAccountAsync(config, tokenSet.AccessToken, cancellationToken)
                : await TryGetAccountAsync(client, config, tokenSet.AccessToken, cancellationToken);

            tokens.Store(integration, tokenSet);
            integration.ConnectedAt = now.UtcDateTime;
            integration.Account = new IntegrationAccount { Email = account.Email, Name = account.Name, ProviderUserId = account.ProviderUserId, RootNamespaceId = account.RootNamespaceId };
            integration.Health = new IntegrationHealth
            {
                Status = scopesOk ? "healthy" : "unhealthy",
                LastCheck = now.UtcDateTime,
                LastError = scopesOk ? null : "The account did not grant the storage scope; reconnect and allow access to files",
            };
            db.Entry(integration).Property(i => i.UpdatedAt).IsModified = true;
            audit.Record("oauth.callback.success", "cloud-integration", integration.Id, integration.TenantId,
                new { provider = provider.Slug, scopes = tokenSet.Scopes, account = account.Email, scopesOk });
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when (e is ProviderException or SecretUnavailableException or HttpRequestException)
        {
            LogExchangeFailed(logger, p.IntegrationId, e.GetType().Name, e.Message);
            db.ChangeTracker.Clear();
            return e is ProviderException { Kind: ProviderErrorKind.Unavailable }
                ? await FailAsync("PROVIDER_UNAVAILABLE", "The provider did not answer. Close this window and connect again.", p, new { reason = "Unavailable" })
                : await FailAsync("INTERNAL_ERROR", "Unable to process request", p, new { reason = e is ProviderException pe ? pe.Kind.ToString() : "secret" });
        }

        jobs.Enqueue<IntegrationHealthService>(h => h.CheckAsync(integration.Id, CancellationToken.None));
        // Through the same coalescing as every other request: a reconnect while a full sync is queued adds none, and the
        // integration shows "queued" at once.
        await syncRequests.RequestAsync(integration.Id, SyncRequestReason.Owner, full: true, CancellationToken.None);
        if (webhooks.Value.Enabled)
        {
            // Graph's create waits for our own validation echo: never inline in the user's callback.
            jobs.Enqueue<Webhooks.ChangeSubscriptionJob>(j => j.EnsureAsync(integration.Id, CancellationToken.None));
        }

        return new CallbackResult($"{SuccessPath}?tenantId={Uri.EscapeDataString(integration.TenantId)}&integrationId={Uri.EscapeDataString(integration.Id)}", integration.Id);
    }

    /// <summary>Clears an unfinished flow; tokens are untouched.</summary>
    public async Task ResetAsync(string tenantId, string integrationId, CancellationToken cancellationToken)
    {
        if (!await db.Set<CloudIntegration>().AnyAsync(i => i.Id == integrationId && i.TenantId == tenantId, cancellationToken))
        {
            throw new NotFoundException("cloud-integration/not-found", "Cloud provider integration not found");
        }

        await db.Set<OAuthFlow>().Where(f => f.IntegrationId == integrationId).ExecuteDeleteAsync(cancellationToken);
        audit.Record("oauth.flow.reset", "cloud-integration", integrationId, tenantId);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<ProviderAccount> TryGetAccountAsync(ICloudStorageClient client, ProviderConfig config, string accessToken, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetAccountAsync(config, accessToken, cancellationToken);
        }
        catch (ProviderException e) when (e.Kind is ProviderErrorKind.Forbidden or ProviderErrorKind.Unauthorized)
        {
            return new ProviderAccount(null, null, null);
        }
    }

    private string RedirectUri(string requestBaseUrl) =>
        options.Value.RedirectUri is { Length: > 0 } configured ? configured : requestBaseUrl.TrimEnd('/') + "/api/v1/oauth/callback";

    private static SecretContext VerifierContext(string flowId) => new(OAuthFlow.TableName, flowId, "code_verifier");

    /// <summary>
    /// Single use: the flow a verified state names is claimed by deleting it, so a replay (or a superseded state) finds
    /// nothing. Null when the state does not verify or no live flow matches it.
    /// </summary>
    private async Task<(OAuthFlow Flow, OAuthStatePayload Payload)?> ClaimAsync(string state, CancellationToken cancellationToken)
    {
        if (OAuthState.Verify(state, keys.StateKey) is not (OAuthState.Failure.None, { } p))
        {
            return null;
        }

        var flow = await db.Set<OAuthFlow>().AsNoTracking()
            .FirstOrDefaultAsync(f => f.TenantId == p.TenantId && f.Nonce == p.Nonce, cancellationToken);
        var claimed = flow is not null && flow.IntegrationId == p.IntegrationId && flow.UserId == p.UserId &&
            await db.Set<OAuthFlow>().Where(f => f.Id == flow.Id).ExecuteDeleteAsync(cancellationToken) == 1;
        return claimed ? (flow!, p) : null;
    }

    /// <summary>A refusal that matched no live flow: counted for the address and minute, not audited one by one.</summary>
    private async Task<CallbackResult> RejectAsync(string code, string message)
    {
        await failures.CountAsync(code);
        return new CallbackResult(ErrorLocation(code, message), null);
    }

    /// <summary>Records the refusal of a real flow (changing nothing else) and sends the browser to the error page.</summary>
    private async Task<CallbackResult> FailAsync(string code, string message, OAuthStatePayload state, object? details)
    {
        audit.Record("oauth.callback.attempt.failed", "cloud-integration", state.IntegrationId, state.TenantId,
            new { code, userId = state.UserId, details }, AuditOutcome.Failure);
        await db.SaveChangesAsync(CancellationToken.None);
        return new CallbackResult(ErrorLocation(code, message), state.IntegrationId);
    }

    private static string ErrorLocation(string code, string message) =>
        $"{ErrorPath}?message={Uri.EscapeDataString(message)}&code={Uri.EscapeDataString(code)}";

    private static string Truncate(string value) => value.Length <= 100 ? value : value[..100];

    [LoggerMessage(Level = LogLevel.Warning, Message = "OAuth code exchange for integration {IntegrationId} failed: {ErrorType} {Reason}")]
    private static partial void LogExchangeFailed(ILogger logger, string integrationId, string errorType, string reason);
}
