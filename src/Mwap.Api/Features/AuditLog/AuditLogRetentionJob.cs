using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.AuditLog;

/// <summary>
/// Daily: deletes audit rows older than their tenant's <c>retentionDays</c>, or the platform default for rows
/// of tenants without one (and rows with no tenant, or whose tenant is gone). Idempotent; deletes in batches.
/// </summary>
internal sealed partial class AuditLogRetentionJob(
    MwapDbContext db, IOptions<AuditLogOptions> options, TimeProvider time, ILogger<AuditLogRetentionJob> logger)
{
    public const string RecurringJobId = "audit-log-retention";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var platformCutoff = now.AddDays(-options.Value.RetentionDays);
        var deleted = 0;

        // Tenants with their own retention: one range delete per distinct value (few in practice).
        var custom = await db.Tenants.AsNoTracking()
            .Where(t => t.Settings.RetentionDays != null)
            .Select(t => new { t.Id, Days = t.Settings.RetentionDays!.Value })
            .ToListAsync(cancellationToken);
        foreach (var group in custom.GroupBy(t => t.Days))
        {
            var cutoff = now.AddDays(-group.Key);
            foreach (var chunk in group.Select(t => t.Id).Chunk(500))
            {
                deleted += await DeleteInBatchesAsync(a => a.TenantId != null && chunk.Contains(a.TenantId) && a.CreatedAt < cutoff,
                    cancellationToken);
            }
        }

        // Everything else falls under the platform default.
        deleted += await DeleteInBatchesAsync(a => a.CreatedAt < platformCutoff &&
            (a.TenantId == null || !db.Tenants.Any(t => t.Id == a.TenantId && t.Settings.RetentionDays != null)),
            cancellationToken);

        LogDeleted(logger, deleted, options.Value.RetentionDays);
        return deleted;
    }

    private async Task<int> DeleteInBatchesAsync(System.Linq.Expressions.Expression<Func<AuditLogEntry, bool>> predicate,
        CancellationToken cancellationToken)
    {
        var batch = options.Value.RetentionBatchSize;
        var total = 0;
        while (true)
        {
            var ids = db.AuditLogs.Where(predicate).OrderBy(a => a.CreatedAt).Select(a => a.Id).Take(batch);
            var n = await db.AuditLogs.Where(a => ids.Contains(a.Id)).ExecuteDeleteAsync(cancellationToken);
            total += n;
            if (n < batch)
            {
                return total;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit-log retention deleted {Count} rows (platform default {Days} days)")]
    private static partial void LogDeleted(ILogger logger, int count, int days);
}
