using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Infrastructure.Security;

/// <summary>
/// Re-encrypts every stored secret under the active key (the <c>keys rotate</c> verb). Walks each secret column by id
/// in batches; each batch commits on its own, so an interrupted run leaves every row under either its old key or the
/// active one (both decrypt while the old key stays configured) and a rerun resumes where it stopped. A value that
/// cannot be decrypted is left untouched, audited, and reported: it is never overwritten or guessed.
/// </summary>
internal sealed partial class SecretRotation(MwapDbContext db, SecretProtector protector, IAuditLog audit, ILogger<SecretRotation> logger)
{
    public sealed record Progress(string Column, int Done, int Total, int Failed, string? Failure = null);

    public sealed record Result(int Reencrypted, int Failed);

    public async Task<Result> RotateAsync(int batchSize, Action<Progress> report, CancellationToken cancellationToken)
    {
        var prefix = $"mwap:v1:{protector.ActiveKeyId}:";
        var totals = new Result(0, 0);
        totals = Add(totals, await RotateColumnAsync<CloudProvider>(CloudProvider.TableName, CloudProvider.ClientSecretField,
            q => q.Where(p => !p.EncryptedClientSecret.StartsWith(prefix)),
            p => p.EncryptedClientSecret, (p, v) => p.EncryptedClientSecret = v!, p => p.Id, batchSize, report, cancellationToken));
        totals = Add(totals, await RotateColumnAsync<CloudIntegration>(CloudIntegration.TableName, "access_token",
            q => q.Where(i => i.EncryptedAccessToken != null && !i.EncryptedAccessToken.StartsWith(prefix)),
            i => i.EncryptedAccessToken, (i, v) => i.EncryptedAccessToken = v, i => i.Id, batchSize, report, cancellationToken));
        totals = Add(totals, await RotateColumnAsync<CloudIntegration>(CloudIntegration.TableName, "refresh_token",
            q => q.Where(i => i.EncryptedRefreshToken != null && !i.EncryptedRefreshToken.StartsWith(prefix)),
            i => i.EncryptedRefreshToken, (i, v) => i.EncryptedRefreshToken = v, i => i.Id, batchSize, report, cancellationToken));
        return totals;
    }

    private async Task<Result> RotateColumnAsync<T>(string table, string field, Func<IQueryable<T>, IQueryable<T>> pending,
        Func<T, string?> read, Action<T, string?> write, System.Linq.Expressions.Expression<Func<T, string>> id,
        int batchSize, Action<Progress> report, CancellationToken cancellationToken) where T : class
    {
        var column = $"{table}.{field}";
        var total = await pending(db.Set<T>()).CountAsync(cancellationToken);
        var getId = id.Compile();
        int done = 0, failed = 0;
        string lastId = "";
        report(new Progress(column, 0, total, 0));
        while (true)
        {
            var after = lastId;
            var batch = await pending(db.Set<T>()).Where(Greater(id, after)).OrderBy(id).Take(batchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var row in batch)
            {
                var context = new SecretContext(table, getId(row), field);
                try
                {
                    write(row, protector.Protect(protector.Unprotect(read(row)!, context), context));
                    done++;
                }
                catch (SecretUnavailableException e)
                {
                    failed++;
                    db.Entry(row).State = EntityState.Unchanged;
                    audit.Record("secret.decrypt.failed", table, getId(row), null, new { column, reason = e.Message }, AuditOutcome.Failure);
                    LogUndecryptable(logger, column, getId(row));
                    report(new Progress(column, done, total, failed, $"row {getId(row)}: {e.Message}"));
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            lastId = getId(batch[^1]);
            report(new Progress(column, done, total, failed));
        }

        return new Result(done, failed);
    }

    private static System.Linq.Expressions.Expression<Func<T, bool>> Greater<T>(System.Linq.Expressions.Expression<Func<T, string>> id, string after)
    {
        var compare = System.Linq.Expressions.Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!,
            id.Body, System.Linq.Expressions.Expression.Constant(after));
        return System.Linq.Expressions.Expression.Lambda<Func<T, bool>>(
            System.Linq.Expressions.Expression.GreaterThan(compare, System.Linq.Expressions.Expression.Constant(0)), id.Parameters);
    }

    private static Result Add(Result a, Result b) => new(a.Reencrypted + b.Reencrypted, a.Failed + b.Failed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Secret {Column} of row {RowId} cannot be decrypted; left unchanged")]
    private static partial void LogUndecryptable(ILogger logger, string column, string rowId);
}
