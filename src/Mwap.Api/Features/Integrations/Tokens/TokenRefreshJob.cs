using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mwap.Api.Features.Integrations.Providers;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Integrations.Tokens;

/// <summary>Token lifecycle settings (<c>Integrations:*</c>).</summary>
internal sealed class IntegrationJobsOptions
{
    public const string SectionName = "Integrations";

    /// <summary>Refresh tokens that expire within this many minutes (default 15).</summary>
    [Range(1, 1440)]
    public int RefreshWindowMinutes { get; set; } = 15;

    /// <summary>Also refresh connections idle this many days, so refresh tokens do not die from disuse (default 7).</summary>
    [Range(1, 90)]
    public int IdleRefreshDays { get; set; } = 7;

    /// <summary>Provider calls a job makes at once (default 4).</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 4;

    /// <summary>Cron (UTC) of the token refresh job (default every 5 minutes).</summary>
    [Required]
    public string RefreshCron { get; set; } = "*/5 * * * *";

    /// <summary>Cron (UTC) of the health check job (default every 15 minutes).</summary>
    [Required]
    public string HealthCheckCron { get; set; } = "*/15 * * * *";

    /// <summary>Cron (UTC) of the incremental file sync of every active integration (default every 10 minutes).</summary>
    [Required]
    public string SyncCron { get; set; } = "*/10 * * * *";

    /// <summary>Integrations synced at once by the recurring sync (default 2).</summary>
    [Range(1, 32)]
    public int SyncConcurrency { get; set; } = 2;

    /// <summary>Items asked for per provider page during a sync (default 1000, the providers' maximum).</summary>
    [Range(10, 1000)]
    public int SyncPageSize { get; set; } = 1000;

    /// <summary><c>POST …/sync</c> requests allowed per integration per hour (default 12); coalesced requests count too.</summary>
    [Range(1, 3600)]
    public int SyncRequestsPerHour { get; set; } = 12;
}

/// <summary>
/// Refreshes every active integration whose access token expires inside the window, plus idle ones. Idempotent: an
/// integration another worker just refreshed is skipped by the lease. Expired (re-consent) integrations are never retried.
/// </summary>
internal sealed partial class TokenRefreshJob(IServiceScopeFactory scopes, MwapDbContext db, IOptions<IntegrationJobsOptions> options,
    TimeProvider time, ILogger<TokenRefreshJob> logger)
{
    public const string RecurringJobId = "integration-token-refresh";

    public sealed record Result(int Candidates, int Refreshed, int Failed);

    public async Task<Result> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var dueBefore = now.AddMinutes(options.Value.RefreshWindowMinutes);
        var idleBefore = now.AddDays(-options.Value.IdleRefreshDays);
        var due = await db.Set<CloudIntegration>().AsNoTracking()
            .Where(i => i.Status == IntegrationStatus.Active && i.EncryptedRefreshToken != null &&
                        ((i.TokenExpiresAt != null && i.TokenExpiresAt < dueBefore) || i.LastRefreshedAt == null || i.LastRefreshedAt < idleBefore))
            .Select(i => new { i.Id, i.EncryptedAccessToken })
            .ToListAsync(cancellationToken);

        int refreshed = 0, failed = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                await using var scope = scopes.CreateAsyncScope();
                try
                {
                    await scope.ServiceProvider.GetRequiredService<TokenService>().RefreshAsync(item.Id, item.EncryptedAccessToken, ct);
                    Interlocked.Increment(ref refreshed);
                }
                catch (ProviderException e)
                {
                    Interlocked.Increment(ref failed);
                    LogRefreshFailed(logger, item.Id, e.Kind.ToString());
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One integration's failure (a busy database, an undecryptable token) must not stop the others.
                    Interlocked.Increment(ref failed);
                    LogRefreshFailed(logger, item.Id, e.GetType().Name);
                }
            });
        LogRun(logger, due.Count, refreshed, failed);
        return new Result(due.Count, refreshed, failed);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Token refresh for integration {IntegrationId} failed: {Kind}")]
    private static partial void LogRefreshFailed(ILogger logger, string integrationId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Token refresh job: {Candidates} due, {Refreshed} refreshed, {Failed} failed")]
    private static partial void LogRun(ILogger logger, int candidates, int refreshed, int failed);
}
