using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Notifications;

/// <summary>What one run did.</summary>
internal sealed record AlertsRunResult(int Created, int Sent, int Failed);

/// <summary>
/// Finds integrations that need their owner (re-consent, unhealthy, failing sync) with one query over all tenants,
/// records at most one alert per integration, condition and day, then emails the unsent ones. A failed send is
/// recorded on the alert and retried on later runs, up to <c>Alerts:MaxEmailAttempts</c> attempts.
/// </summary>
internal sealed partial class IntegrationAlertsJob(
    MwapDbContext db, IAlertMailer mailer, IOptions<SmtpOptions> smtp, IOptions<AlertsOptions> options, TimeProvider time,
    ILogger<IntegrationAlertsJob> logger)
{
    public const string RecurringJobId = "integration-alerts";
    private const string Unhealthy = "unhealthy";
    private const int SendBatch = 200;

    [DisableConcurrentExecution(60)]
    public async Task<AlertsRunResult> RunAsync(CancellationToken cancellationToken)
    {
        var created = await DetectAsync(cancellationToken);
        var (sent, failed) = await SendAsync(cancellationToken);
        LogRun(logger, created, sent, failed);
        return new AlertsRunResult(created, sent, failed);
    }

    private async Task<int> DetectAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var threshold = options.Value.SyncFailureThreshold;
        var candidates = await (
            from i in db.Set<CloudIntegration>().AsNoTracking()
            join p in db.Set<CloudProvider>() on i.ProviderId equals p.Id
            where i.Status == IntegrationStatus.Expired || i.Status == IntegrationStatus.Revoked ||
                  ((i.Status == IntegrationStatus.Active || i.Status == IntegrationStatus.Error) &&
                   (i.Health.Status == Unhealthy || i.Sync.ConsecutiveFailures >= threshold))
            select new
            {
                i.Id,
                i.TenantId,
                i.Status,
                Health = i.Health.Status,
                HealthError = i.Health.LastError,
                Failures = i.Sync.ConsecutiveFailures,
                SyncError = i.Sync.LastError,
                p.Slug,
                p.Name,
            }).ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return 0;
        }

        var seen = (await db.Set<TenantAlert>().AsNoTracking().Where(a => a.Day == today)
                .Select(a => new { a.IntegrationId, a.Condition }).ToListAsync(cancellationToken))
            .Select(a => (a.IntegrationId, a.Condition)).ToHashSet();

        var created = 0;
        foreach (var c in candidates)
        {
            // Re-consent is the whole story when it applies: the health check and sync fail for the same reason.
            var conditions = new List<(string Condition, string? Detail)>();
            if (c.Status is IntegrationStatus.Expired or IntegrationStatus.Revoked)
            {
                conditions.Add((AlertConditions.ReconsentRequired, null));
            }
            else
            {
                if (c.Health == Unhealthy)
                {
                    conditions.Add((AlertConditions.Unhealthy, c.HealthError));
                }

                if (c.Failures >= threshold)
                {
                    conditions.Add((AlertConditions.SyncFailing, c.SyncError));
                }
            }

            foreach (var (condition, detail) in conditions)
            {
                if (!seen.Add((c.Id, condition)))
                {
                    continue;
                }

                db.Add(new TenantAlert
                {
                    Id = ObjectId.NewId(now),
                    TenantId = c.TenantId,
                    IntegrationId = c.Id,
                    Condition = condition,
                    Day = today,
                    ProviderSlug = c.Slug,
                    ProviderName = c.Name,
                    Message = AlertTexts.Message(condition, c.Name, c.Status, c.Failures),
                    Detail = AlertTexts.Detail(detail),
                    EmailStatus = smtp.Value.Enabled ? EmailStatuses.Pending : EmailStatuses.Disabled,
                });
                created++;
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            // Another run recorded today's alerts first; theirs stand, and the sender below picks them up.
            db.ChangeTracker.Clear();
            return 0;
        }

        return created;
    }

    private async Task<(int Sent, int Failed)> SendAsync(CancellationToken cancellationToken)
    {
        var max = options.Value.MaxEmailAttempts;
        var due = await (
            from a in db.Set<TenantAlert>()
            join t in db.Tenants on a.TenantId equals t.Id
            where (a.EmailStatus == EmailStatuses.Pending || a.EmailStatus == EmailStatuses.Failed) && a.EmailAttempts < max
            orderby a.CreatedAt, a.Id
            select new { Alert = a, t.OwnerEmail, TenantName = t.Name }).Take(SendBatch).ToListAsync(cancellationToken);

        int sent = 0, failed = 0;
        foreach (var item in due)
        {
            var alert = item.Alert;
            if (!smtp.Value.Enabled)
            {
                alert.EmailStatus = EmailStatuses.Disabled;
            }
            else if (string.IsNullOrEmpty(item.OwnerEmail))
            {
                alert.EmailStatus = EmailStatuses.NoAddress;
            }
            else
            {
                alert.EmailAttempts++;
                try
                {
                    await mailer.SendAsync(item.OwnerEmail, AlertTexts.Subject(alert.Condition, alert.ProviderName),
                        AlertTexts.Body(alert, item.TenantName), cancellationToken);
                    alert.EmailStatus = EmailStatuses.Sent;
                    alert.EmailSentAt = time.GetUtcNow().UtcDateTime;
                    alert.EmailError = null;
                    sent++;
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    alert.EmailStatus = EmailStatuses.Failed;
                    alert.EmailError = Describe(e);
                    failed++;
                    LogSendFailed(logger, alert.Id, alert.EmailAttempts, e.GetType().Name);
                }
            }

            // Saved per alert: a crash later in the run must not send this one again.
            await db.SaveChangesAsync(CancellationToken.None);
        }

        return (sent, failed);
    }

    /// <summary>The error's type and message, without the configured password should a server echo it.</summary>
    private string Describe(Exception e)
    {
        var text = $"{e.GetType().Name}: {e.Message}";
        if (smtp.Value.Password is { Length: > 0 } password)
        {
            text = text.Replace(password, "[REDACTED]", StringComparison.Ordinal);
        }

        return text.Length <= 1000 ? text : text[..1000];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Integration alerts: {Created} recorded, {Sent} emailed, {Failed} failed to send")]
    private static partial void LogRun(ILogger logger, int created, int sent, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId} email attempt {Attempt} failed: {ErrorType}")]
    private static partial void LogSendFailed(ILogger logger, string alertId, int attempt, string errorType);
}
