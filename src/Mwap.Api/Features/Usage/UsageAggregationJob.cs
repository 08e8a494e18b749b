using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Files;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Projects;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Usage;

/// <summary>
/// Rolls up every tenant's usage into today's <see cref="TenantUsageDaily"/> row (upserted: reruns the same day
/// overwrite it) and a summary in the tenant's <c>metadata</c>. Each figure is one GROUP BY over all tenants,
/// so the cost grows with the data, not with tenants × metrics.
/// </summary>
internal sealed partial class UsageAggregationJob(MwapDbContext db, TimeProvider time, ILogger<UsageAggregationJob> logger)
{
    public const string RecurringJobId = "usage-aggregation";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await AggregateAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            // Another run inserted today's rows first: recompute once, updating them.
            db.ChangeTracker.Clear();
            return await AggregateAsync(cancellationToken);
        }
    }

    private async Task<int> AggregateAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var yesterday = today.AddDays(-1);

        var tenants = await db.Tenants.AsNoTracking().Select(t => new { t.Id, t.Metadata }).ToListAsync(cancellationToken);

        var integrations = await db.Set<CloudIntegration>().AsNoTracking()
            .GroupBy(i => i.TenantId)
            .Select(g => new { TenantId = g.Key, Count = g.Count(), Requests = g.Sum(i => i.Usage.TotalRequests), LastRequest = g.Max(i => i.Usage.LastRequest) })
            .ToDictionaryAsync(x => x.TenantId, cancellationToken);

        var storageRows = await (
            from f in db.Set<VirtualFile>().AsNoTracking()
            where !f.IsFolder
            join i in db.Set<CloudIntegration>() on f.IntegrationId equals i.Id
            join p in db.Set<CloudProvider>() on i.ProviderId equals p.Id
            group f by new { f.TenantId, p.Slug } into g
            select new { g.Key.TenantId, g.Key.Slug, Files = g.LongCount(), Bytes = g.Sum(f => f.Size ?? 0) }).ToListAsync(cancellationToken);
        var storage = storageRows.GroupBy(r => r.TenantId).ToDictionary(g => g.Key,
            g => g.OrderBy(r => r.Slug, StringComparer.Ordinal).ToDictionary(r => r.Slug, r => new ProviderStorage(r.Files, r.Bytes)));

        var members = await db.Set<ProjectMember>().AsNoTracking()
            .GroupBy(m => m.TenantId)
            .Select(g => new { TenantId = g.Key, Count = g.Select(m => m.UserId).Distinct().Count() })
            .ToDictionaryAsync(x => x.TenantId, x => x.Count, cancellationToken);

        var projects = await db.Set<Project>().AsNoTracking()
            .GroupBy(p => p.TenantId)
            .Select(g => new { TenantId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.TenantId, x => x.Count, cancellationToken);

        var audited = await db.AuditLogs.AsNoTracking()
            .Where(a => a.TenantId != null)
            .GroupBy(a => a.TenantId!)
            .Select(g => new { TenantId = g.Key, Last = g.Max(a => a.CreatedAt) })
            .ToDictionaryAsync(x => x.TenantId, x => x.Last, cancellationToken);

        var previous = await db.Set<TenantUsageDaily>().AsNoTracking()
            .Where(u => u.Day == yesterday)
            .ToDictionaryAsync(u => u.TenantId, u => u.ProviderRequests, cancellationToken);

        var existing = await db.Set<TenantUsageDaily>().Where(u => u.Day == today).ToDictionaryAsync(u => u.TenantId, cancellationToken);

        var metadata = new Dictionary<string, string>();
        foreach (var tenant in tenants)
        {
            var integration = integrations.GetValueOrDefault(tenant.Id);
            var byProvider = storage.GetValueOrDefault(tenant.Id) ?? [];
            var requests = integration?.Requests ?? 0;
            var lastActivity = Latest(audited.TryGetValue(tenant.Id, out var a) ? a : null, integration?.LastRequest);

            if (!existing.TryGetValue(tenant.Id, out var row))
            {
                row = new TenantUsageDaily { TenantId = tenant.Id, Day = today };
                db.Add(row);
            }

            row.ProviderRequests = requests;
            row.ProviderRequestsDelta = previous.TryGetValue(tenant.Id, out var before) ? Math.Max(0, requests - before) : 0;
            row.FilesIndexed = byProvider.Values.Sum(s => s.Files);
            row.StorageBytes = byProvider.Values.Sum(s => s.Bytes);
            row.StorageByProvider = JsonSerializer.Serialize(byProvider, MwapJson.Options);
            row.ActiveMembers = members.GetValueOrDefault(tenant.Id);
            row.Projects = projects.GetValueOrDefault(tenant.Id);
            row.Integrations = integration?.Count ?? 0;
            row.LastActivity = lastActivity;
            row.ComputedAt = now;

            var summary = JsonSerializer.Serialize(new TenantUsageSummary(row.Projects, row.ActiveMembers, row.Integrations, row.StorageBytes,
                row.FilesIndexed, row.ProviderRequests, byProvider, row.LastActivity), MwapJson.Options);
            if (summary != tenant.Metadata)
            {
                metadata[tenant.Id] = summary;
            }
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);

            // Only changed summaries are written, straight to the column: the job is not an edit (no version bump, no updatedAt).
            foreach (var (tenantId, summary) in metadata)
            {
                await db.Tenants.Where(t => t.Id == tenantId).ExecuteUpdateAsync(s => s.SetProperty(t => t.Metadata, summary), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        LogAggregated(logger, tenants.Count, today, metadata.Count);
        return tenants.Count;
    }

    private static DateTime? Latest(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Usage aggregation: {Count} tenants for {Day}, {Changed} summaries changed")]
    private static partial void LogAggregated(ILogger logger, int count, DateOnly day, int changed);
}

/// <summary>Files and bytes indexed in one provider's accounts.</summary>
internal sealed record ProviderStorage(long Files, long Bytes);

/// <summary>What the job writes into the tenant's <c>metadata</c> (the guide's counters plus the rest of the roll-up).</summary>
internal sealed record TenantUsageSummary(
    int TotalProjects,
    int TotalMembers,
    int TotalIntegrations,
    long StorageUsed,
    long FilesIndexed,
    long ProviderRequests,
    IReadOnlyDictionary<string, ProviderStorage> StorageByProvider,
    DateTime? LastActivity);
