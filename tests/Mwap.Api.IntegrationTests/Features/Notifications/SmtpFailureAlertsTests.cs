using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Notifications;
using Mwap.Api.IntegrationTests.Infrastructure;
using static Mwap.Api.IntegrationTests.Features.Notifications.AlertsTestKit;

namespace Mwap.Api.IntegrationTests.Features.Notifications;

/// <summary>SMTP down: the failure is recorded on the alert, retried on later runs up to the limit, and sent once the server is back.</summary>
public sealed class SmtpFailureAlertsTests(SmtpDownApiFactory factory) : IClassFixture<SmtpDownApiFactory>
{
    [Fact]
    public async Task A_failed_send_is_recorded_retried_up_to_the_limit_and_never_leaks_the_password()
    {
        var (_, _, tenantId, integrationId) = await TenantWithIntegrationAsync(factory);
        await SetAsync(factory, integrationId, status: IntegrationStatus.Expired);

        await RunJobAsync(factory);
        var alert = Assert.Single(await AlertsAsync(factory, tenantId));
        Assert.Equal(EmailStatuses.Failed, alert.EmailStatus);
        Assert.Equal(1, alert.EmailAttempts);
        Assert.False(string.IsNullOrWhiteSpace(alert.EmailError));
        Assert.DoesNotContain(SmtpDownApiFactory.Password, alert.EmailError!, StringComparison.Ordinal);

        await RunJobAsync(factory);
        alert = Assert.Single(await AlertsAsync(factory, tenantId));
        Assert.Equal(EmailStatuses.Failed, alert.EmailStatus);
        Assert.Equal(2, alert.EmailAttempts);

        // The limit (2) is reached: later runs leave it alone.
        await RunJobAsync(factory);
        alert = Assert.Single(await AlertsAsync(factory, tenantId));
        Assert.Equal(2, alert.EmailAttempts);
        Assert.Equal(EmailStatuses.Failed, alert.EmailStatus);
    }

    [Fact]
    public async Task A_send_that_failed_once_is_delivered_when_the_server_is_back()
    {
        var (_, ownerId, tenantId, integrationId) = await TenantWithIntegrationAsync(factory);
        await SetAsync(factory, integrationId, status: IntegrationStatus.Revoked);
        await RunJobAsync(factory);
        Assert.Equal(EmailStatuses.Failed, Assert.Single(await AlertsAsync(factory, tenantId)).EmailStatus);

        await using var smtp = SmtpSink.Start(factory.SmtpPort);
        await RunJobAsync(factory);
        var alert = Assert.Single(await AlertsAsync(factory, tenantId));
        Assert.Equal(EmailStatuses.Sent, alert.EmailStatus);
        Assert.Equal(2, alert.EmailAttempts);
        Assert.Null(alert.EmailError);
        Assert.Single(smtp.To(EmailOf(ownerId)));
    }
}

/// <summary>No SMTP host: email is off; alerts are still recorded, as <c>disabled</c>.</summary>
public sealed class EmailDisabledAlertsTests(ConnectFlowApiFactory factory) : IClassFixture<ConnectFlowApiFactory>
{
    [Fact]
    public async Task Alerts_are_recorded_with_email_disabled()
    {
        var (owner, _, tenantId, integrationId) = await TenantWithIntegrationAsync(factory);
        await SetAsync(factory, integrationId, status: IntegrationStatus.Expired);
        await RunJobAsync(factory);
        await RunJobAsync(factory);

        var alert = Assert.Single(await AlertsAsync(factory, tenantId));
        Assert.Equal(EmailStatuses.Disabled, alert.EmailStatus);
        Assert.Equal(0, alert.EmailAttempts);
        var listed = await owner.GetAsync($"/api/v1/tenants/{tenantId}/alerts").ReadDataAsync();
        Assert.Equal("disabled", listed.GetProperty("items")[0].GetProperty("emailStatus").GetString());
    }
}
