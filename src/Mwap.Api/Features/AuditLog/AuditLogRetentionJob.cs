using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.AuditLog;

/// <summary>
/// Daily: deletes audit rows older than their tenant's <c>retentionDays</c>, or the platform default for rows
/// of tenants without one (and rows with no tenant, or whose tenant is gone). Idempotent; deletes in batches. With
/// <c>AuditLog:ArchiveDirectory</c> set, each batch is archived and fsynced first and only the archived rows are deleted;
/// a failed write stops the run (the job fails and reports it) with that batch still in the table.
/// </summary>
internal sealed partial class AuditLogRetentionJob(
    MwapDbContext db, AuditLogArchive archive, IOptions<AuditLogOptions> options, TimeProvider time, ILogger<AuditLogRetentionJob> logger)
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

        // Aggregated anonymous OAuth callback refusals age out with the platform default too.
        await db.Set<Integrations.OAuth.OAuthCallbackFailure>().Where(f => f.WindowStart < platformCutoff).ExecuteDeleteAsync(cancellationToken);

        LogDeleted(logger, deleted, options.Value.RetentionDays, archive.Enabled);
        return deleted;
    }

    private async Task<int> DeleteInBatchesAsync(System.Linq.Expressions.Expression<Func<AuditLogEntry, bool>> predicate,
        CancellationToken cancellationToken)
    {
        var batch = options.Value.RetentionBatchSize;
        var total = 0;
        while (true)
        {
            if (archive.Enabled)
            {
                var rows = await db.AuditLogs.AsNoTracking().Where(predicate).OrderBy(a => a.CreatedAt).Take(batch).ToListAsync(cancellationToken);
                if (rows.Count == 0)
                {
                    return total;
                }

                try
                {
                    await archive.WriteAsync(rows, cancellationToken);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    LogArchiveFailed(logger, e, rows.Count, options.Value.ArchiveDirectory);
                    throw new InvalidOperationException($"Audit-log archive write failed; {rows.Count} rows were kept: {e.Message}", e);
                }

                // Exactly the rows written, nothing that arrived meanwhile.
                var written = rows.Select(r => r.Id).ToList();
                total += await db.AuditLogs.Where(a => written.Contains(a.Id)).ExecuteDeleteAsync(cancellationToken);
                if (rows.Count < batch)
                {
                    return total;
                }

                continue;
            }

            var ids = db.AuditLogs.Where(predicate).OrderBy(a => a.CreatedAt).Select(a => a.Id).Take(batch);
            var n = await db.AuditLogs.Where(a => ids.Contains(a.Id)).ExecuteDeleteAsync(cancellationToken);
            total += n;
            if (n < batch)
            {
                return total;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit-log retention deleted {Count} rows (platform default {Days} days, archived first: {Archived})")]
    private static partial void LogDeleted(ILogger logger, int count, int days, bool archived);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit-log archive write to {Directory} failed; the {Count} rows of this batch were not deleted")]
    private static partial void LogArchiveFailed(ILogger logger, Exception exception, int count, string? directory);
}
