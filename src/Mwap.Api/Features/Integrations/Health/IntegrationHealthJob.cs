using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mwap.Api.Features.Integrations.Tokens;
using Mwap.Api.Infrastructure.Observability;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Integrations.Health;

/// <summary>Checks every active integration's account endpoint (bounded concurrency) and records the result in its health.</summary>
internal sealed partial class IntegrationHealthJob(IServiceScopeFactory scopes, MwapDbContext db, IOptions<IntegrationJobsOptions> options, ILogger<IntegrationHealthJob> logger)
{
    public const string RecurringJobId = "integration-health-check";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var ids = await db.Set<CloudIntegration>().AsNoTracking()
            .Where(i => i.Status == IntegrationStatus.Active || i.Status == IntegrationStatus.Error)
            .Select(i => i.Id).ToListAsync(cancellationToken);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                await using var scope = scopes.CreateAsyncScope();
                try
                {
                    await scope.ServiceProvider.GetRequiredService<IntegrationHealthService>().CheckAsync(id, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One integration's failure must not stop the checks of the others.
                    MwapMetrics.RecordHealthCheck("error");
                    LogCheckFailed(logger, id, e.GetType().Name);
                }
            });
        LogRun(logger, ids.Count);
        return ids.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check of integration {IntegrationId} failed: {ErrorType}")]
    private static partial void LogCheckFailed(ILogger logger, string integrationId, string errorType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Health check job checked {Count} integrations")]
    private static partial void LogRun(ILogger logger, int count);
}
