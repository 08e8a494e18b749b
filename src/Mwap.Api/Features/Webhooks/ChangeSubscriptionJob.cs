namespace Mwap.Api.Features.Webhooks;

/// <summary>Hangfire entry points: the recurring renewal, and the creation right after a connect.</summary>
internal sealed class ChangeSubscriptionJob(ChangeSubscriptionService subscriptions)
{
    public const string RecurringJobId = "webhook-subscriptions";

    public Task<int> RunAsync(CancellationToken cancellationToken) => subscriptions.RenewDueAsync(cancellationToken);

    public Task EnsureAsync(string integrationId, CancellationToken cancellationToken) => subscriptions.EnsureAsync(integrationId, cancellationToken);
}
