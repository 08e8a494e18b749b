using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Operations;

internal sealed record ProviderIntegrationSummary(string Provider, int Total, IReadOnlyDictionary<string, int> ByStatus, IReadOnlyDictionary<string, int> ByHealth);

internal sealed record FailingIntegration(string Id, string TenantId, string Provider, string Status, string HealthStatus,
    int ErrorCount, string? LastError, DateTime? LastCheck);

internal sealed record IntegrationsReport(
    int Total,
    IReadOnlyDictionary<string, int> ByStatus,
    IReadOnlyDictionary<string, int> ByHealth,
    IReadOnlyList<ProviderIntegrationSummary> Providers,
    DateTime? OldestHealthCheck,
    int TokensExpiringWithinHour,
    int TokensAlreadyExpired,
    IReadOnlyList<FailingIntegration> Failing,
    DateTime GeneratedAt);

/// <summary>
/// Platform-wide integration health for superadmins: counts by status and health per provider, the stalest health
/// check, tokens about to expire, and the failing connections with their last error. Never reads a token column.
/// </summary>
internal sealed class IntegrationMonitor(MwapDbContext db, TimeProvider time)
{
    private const int MaxFailing = 100;
    private static readonly string[] FailingHealth = ["unhealthy", "degraded"];
    private static readonly string[] FailingStatus = [IntegrationStatus.Error, IntegrationStatus.Expired];

    public async Task<IntegrationsReport> ReportAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var rows = from i in db.Set<CloudIntegration>().AsNoTracking()
                   join p in db.Set<CloudProvider>().AsNoTracking() on i.ProviderId equals p.Id
                   select new { i, p.Slug };

        var groups = await rows
            .GroupBy(r => new { r.Slug, r.i.Status, Health = r.i.Health.Status })
            .Select(g => new { g.Key.Slug, g.Key.Status, g.Key.Health, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var providers = groups.GroupBy(g => g.Slug).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ProviderIntegrationSummary(g.Key, g.Sum(x => x.Count),
                Count(g.Select(x => (x.Status, x.Count))), Count(g.Select(x => (x.Health, x.Count)))))
            .ToList();

        var oldest = await db.Set<CloudIntegration>().AsNoTracking()
            .Where(i => i.Status == IntegrationStatus.Active || i.Status == IntegrationStatus.Error)
            .MinAsync(i => i.Health.LastCheck, cancellationToken);
        var inAnHour = now.AddHours(1);
        var expiring = await db.Set<CloudIntegration>().AsNoTracking()
            .CountAsync(i => i.Status == IntegrationStatus.Active && i.TokenExpiresAt != null && i.TokenExpiresAt >= now && i.TokenExpiresAt < inAnHour, cancellationToken);
        var expired = await db.Set<CloudIntegration>().AsNoTracking()
            .CountAsync(i => i.Status == IntegrationStatus.Active && i.TokenExpiresAt != null && i.TokenExpiresAt < now, cancellationToken);

        var failing = await rows
            .Where(r => FailingHealth.Contains(r.i.Health.Status) || FailingStatus.Contains(r.i.Status))
            .OrderByDescending(r => r.i.Health.LastCheck)
            .Take(MaxFailing)
            .Select(r => new FailingIntegration(r.i.Id, r.i.TenantId, r.Slug, r.i.Status, r.i.Health.Status,
                r.i.Health.ErrorCount, r.i.Health.LastError, r.i.Health.LastCheck))
            .ToListAsync(cancellationToken);

        return new IntegrationsReport(groups.Sum(g => g.Count),
            Count(groups.Select(g => (g.Status, g.Count))), Count(groups.Select(g => (g.Health, g.Count))),
            providers, oldest, expiring, expired, failing, now);
    }

    private static SortedDictionary<string, int> Count(IEnumerable<(string Key, int Count)> items)
    {
        var result = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, count) in items)
        {
            result[key] = result.GetValueOrDefault(key) + count;
        }

        return result;
    }
}
