namespace Mwap.Api.Features.Notifications;

/// <summary>The words of an alert: plain text naming the provider, the condition and what to do. Never a token.</summary>
internal static class AlertTexts
{
    public const int MaxDetailLength = 500;

    public static string Message(string condition, string providerName, string status, int consecutiveFailures) => condition switch
    {
        AlertConditions.ReconsentRequired =>
            $"Your {providerName} connection {(status == "revoked" ? "was revoked" : "has expired")}, so MWAP can no longer reach the account " +
            $"and its files are not kept in sync. Reconnect {providerName} from your tenant's integrations (sign in to {providerName} again and grant access).",
        AlertConditions.Unhealthy =>
            $"The health check of your {providerName} connection failed. Check the {providerName} account (is it still active, " +
            "was access changed or the storage quota exceeded?); if the problem persists, reconnect it from your tenant's integrations.",
        _ =>
            $"Syncing files from your {providerName} connection has failed {consecutiveFailures} times in a row, so the file index is out of date. " +
            $"Check the {providerName} account; if the problem persists, reconnect it from your tenant's integrations.",
    };

    public static string Subject(string condition, string providerName) => condition switch
    {
        AlertConditions.ReconsentRequired => $"MWAP: reconnect your {providerName} account",
        AlertConditions.Unhealthy => $"MWAP: your {providerName} connection is unhealthy",
        _ => $"MWAP: file sync from {providerName} keeps failing",
    };

    public static string Body(TenantAlert alert, string tenantName) =>
        $"""
        Hello,

        {alert.Message}

        Tenant: {tenantName}
        Provider: {alert.ProviderName} ({alert.ProviderSlug})
        Condition: {alert.Condition}
        {(alert.Detail is null ? "" : $"Last error: {alert.Detail}\n")}
        You receive at most one message per connection and condition a day. Your tenant's alerts are listed at
        GET /api/v1/tenants/{alert.TenantId}/alerts.

        -- MWAP
        """;

    public static string? Detail(string? error) =>
        string.IsNullOrWhiteSpace(error) ? null : error.Length <= MaxDetailLength ? error : error[..MaxDetailLength];
}
