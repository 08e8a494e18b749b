using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.SuperAdmins;

/// <summary>
/// Adds, removes and lists superadmins (from configuration, the <c>superadmin</c> verb or a test). Every change is
/// audited (<c>superadmin.add</c>/<c>superadmin.remove</c>, actor = who made it) and reaches this instance at once and
/// every other instance through <see cref="SuperAdminDirectory"/>'s watcher.
/// </summary>
internal sealed class SuperAdminRegistry(MwapDbContext db, SuperAdminDirectory directory, TimeProvider time, IOptions<AuthOptions> options)
{
    /// <summary>Seeds every subject in <c>Auth:SuperAdmins</c> that is not yet a superadmin. Idempotent.</summary>
    public async Task SeedFromConfigurationAsync(CancellationToken cancellationToken)
    {
        foreach (var sub in options.Value.SuperAdmins.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).Distinct())
        {
            await AddAsync(sub, "configuration", cancellationToken);
        }
    }

    public async Task<IReadOnlyList<SuperAdmin>> ListAsync(CancellationToken cancellationToken) =>
        await db.SuperAdmins.AsNoTracking().OrderBy(s => s.CreatedAt).ThenBy(s => s.UserId).ToListAsync(cancellationToken);

    /// <summary>Returns false when the subject already was a superadmin.</summary>
    public async Task<bool> AddAsync(string userId, string actor, CancellationToken cancellationToken)
    {
        if (await db.SuperAdmins.AnyAsync(s => s.UserId == userId, cancellationToken))
        {
            return false;
        }

        var now = time.GetUtcNow();
        db.SuperAdmins.Add(new SuperAdmin { Id = ObjectId.NewId(now), UserId = userId, AddedBy = actor, CreatedAt = now.UtcDateTime });
        Audit("superadmin.add", userId, actor);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            // Another instance added the same subject at the same moment.
            db.ChangeTracker.Clear();
            return false;
        }

        await directory.ReloadAsync(db, cancellationToken);
        return true;
    }

    /// <summary>Removes a superadmin; refuses (and changes nothing) when it is the last one, so the platform keeps an administrator.</summary>
    public async Task<RemoveResult> RemoveAsync(string userId, string actor, CancellationToken cancellationToken)
    {
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await LockAgainstConcurrentRemovalAsync(cancellationToken);
            if (!await db.SuperAdmins.AnyAsync(s => s.UserId == userId, cancellationToken))
            {
                return RemoveResult.NotFound;
            }

            // One statement: the count is checked by the same DELETE that removes the row.
            var removed = await db.SuperAdmins.Where(s => s.UserId == userId && db.SuperAdmins.Count() > 1).ExecuteDeleteAsync(cancellationToken);
            if (removed == 0)
            {
                return RemoveResult.LastOne;
            }

            Audit("superadmin.remove", userId, actor);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await directory.ReloadAsync(db, cancellationToken);
        return RemoveResult.Removed;
    }

    /// <summary>
    /// Under PostgreSQL's READ COMMITTED two removals of different superadmins would each count two rows and each delete
    /// one, leaving none; a table lock that conflicts with itself (readers are not blocked) makes them take turns, so the
    /// second one counts what the first left. SQLite already runs one writing transaction at a time.
    /// </summary>
    private async Task LockAgainstConcurrentRemovalAsync(CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("LOCK TABLE superadmins IN SHARE ROW EXCLUSIVE MODE", cancellationToken);
        }
    }

    private void Audit(string action, string userId, string actor)
    {
        var now = time.GetUtcNow();
        db.AuditLogs.Add(new AuditLogEntry
        {
            Id = ObjectId.NewId(now),
            ActorId = actor,
            Action = action,
            TargetType = "superadmin",
            TargetId = userId.Length <= 256 ? userId : userId[..256],
            Details = AuditLog.AuditLog.Sanitize(new { userId }),
            CreatedAt = now.UtcDateTime,
        });
    }
}

internal enum RemoveResult
{
    Removed,
    NotFound,
    LastOne,
}
