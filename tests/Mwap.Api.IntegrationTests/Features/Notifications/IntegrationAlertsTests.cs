using System.Net;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Notifications;
using Mwap.Api.IntegrationTests.Features.Files;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using static Mwap.Api.IntegrationTests.Features.Notifications.AlertsTestKit;

namespace Mwap.Api.IntegrationTests.Features.Notifications;

/// <summary>Alert detection and email, read from a real SMTP server the test runs and from the alerts route.</summary>
public sealed class IntegrationAlertsTests(AlertsApiFactory factory) : IClassFixture<AlertsApiFactory>
{
    [Fact]
    public async Task An_expired_integration_emails_the_owner_once_a_day_however_often_the_job_runs()
    {
        var connection = await FileSyncHarness.ConnectAsync(factory, FakeProvider.Dropbox);
        var accessToken = await factory.WithDbAsync(db => db.Set<CloudIntegration>().Where(i => i.Id == connection.IntegrationId).Select(i => i.EncryptedAccessToken).SingleAsync());
        await SetAsync(factory, connection.IntegrationId, status: IntegrationStatus.Expired);

        await RunJobAsync(factory);
        await RunJobAsync(factory);

        var mail = Assert.Single(factory.Smtp.To(EmailOf(connection.OwnerId)));
        Assert.Equal("alerts@mwap.test", mail.MailFrom);
        Assert.Contains("Dropbox", mail.Message.Subject, StringComparison.Ordinal);
        Assert.Contains("reconnect", mail.Message.Subject, StringComparison.OrdinalIgnoreCase);
        var body = mail.Message.TextBody;
        Assert.Contains("Dropbox", body, StringComparison.Ordinal);
        Assert.Contains("has expired", body, StringComparison.Ordinal);
        Assert.Contains("Reconnect Dropbox", body, StringComparison.Ordinal);
        Assert.Contains("reconsent-required", body, StringComparison.Ordinal);
        Assert.DoesNotContain("token", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(accessToken!, body, StringComparison.Ordinal);
        Assert.Null(mail.Message.HtmlBody);

        var alert = Assert.Single(await AlertsAsync(factory, connection.TenantId));
        Assert.Equal(AlertConditions.ReconsentRequired, alert.Condition);
        Assert.Equal(EmailStatuses.Sent, alert.EmailStatus);
        Assert.Equal(1, alert.EmailAttempts);

        var page = await connection.Owner.GetAsync($"/api/v1/tenants/{connection.TenantId}/alerts").ReadDataAsync();
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(alert.Id, item.GetProperty("_id").GetString());
        Assert.Equal(connection.IntegrationId, item.GetProperty("integrationId").GetString());
        Assert.Equal("reconsent-required", item.GetProperty("condition").GetString());
        Assert.Equal("dropbox", item.GetProperty("provider").GetProperty("slug").GetString());
        Assert.Equal("sent", item.GetProperty("emailStatus").GetString());
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), item.GetProperty("day").GetString());
        Assert.False(page.GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task A_revoked_integration_is_a_reconsent_alert_too()
    {
        var (owner, ownerId, tenantId, integrationId) = await TenantWithIntegrationAsync(factory, FakeProvider.Microsoft);
        await SetAsync(factory, integrationId, status: IntegrationStatus.Revoked, health: "unhealthy", failures: 5, error: "invalid_grant");
        await RunJobAsync(factory);

        // Re-consent explains the failing checks and syncs: one alert, not three.
        var alert = Assert.Single(await AlertsAsync(factory, tenantId));
        Assert.Equal(AlertConditions.ReconsentRequired, alert.Condition);
        var mail = Assert.Single(factory.Smtp.To(EmailOf(ownerId)));
        Assert.Contains("was revoked", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("OneDrive", mail.Message.TextBody, StringComparison.Ordinal);
        await owner.GetAsync($"/api/v1/tenants/{tenantId}/alerts").ReadDataAsync();
    }

    [Fact]
    public async Task Unhealthy_and_failing_sync_integrations_produce_their_alerts()
    {
        var unhealthy = await TenantWithIntegrationAsync(factory, FakeProvider.Google);
        await SetAsync(factory, unhealthy.IntegrationId, status: IntegrationStatus.Active, health: "unhealthy", error: "Account check failed: 403 storageQuotaExceeded");
        var failing = await TenantWithIntegrationAsync(factory, FakeProvider.Dropbox);
        await SetAsync(factory, failing.IntegrationId, status: IntegrationStatus.Active, failures: 3, error: "Provider answered 500");
        var almost = await TenantWithIntegrationAsync(factory, FakeProvider.Microsoft);
        await SetAsync(factory, almost.IntegrationId, status: IntegrationStatus.Active, failures: 2, error: "Provider answered 500");
        var both = await TenantWithIntegrationAsync(factory, FakeProvider.Google);
        await SetAsync(factory, both.IntegrationId, status: IntegrationStatus.Error, health: "unhealthy", error: "down");
        await SetAsync(factory, both.IntegrationId, failures: 4, error: "sync down");

        await RunJobAsync(factory);
        await RunJobAsync(factory);

        var a = Assert.Single(await AlertsAsync(factory, unhealthy.TenantId));
        Assert.Equal(AlertConditions.Unhealthy, a.Condition);
        Assert.Equal("Account check failed: 403 storageQuotaExceeded", a.Detail);
        var mail = Assert.Single(factory.Smtp.To(EmailOf(unhealthy.OwnerId)));
        Assert.Contains("Google Drive", mail.Message.Subject, StringComparison.Ordinal);
        Assert.Contains("unhealthy", mail.Message.Subject, StringComparison.Ordinal);
        Assert.Contains("Check the Google Drive account", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("storageQuotaExceeded", mail.Message.TextBody, StringComparison.Ordinal);

        var f = Assert.Single(await AlertsAsync(factory, failing.TenantId));
        Assert.Equal(AlertConditions.SyncFailing, f.Condition);
        var failingMail = Assert.Single(factory.Smtp.To(EmailOf(failing.OwnerId)));
        Assert.Contains("failed 3 times in a row", failingMail.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Dropbox", failingMail.Message.TextBody, StringComparison.Ordinal);

        Assert.Empty(await AlertsAsync(factory, almost.TenantId));
        Assert.Empty(factory.Smtp.To(EmailOf(almost.OwnerId)));

        Assert.Equal([AlertConditions.SyncFailing, AlertConditions.Unhealthy], (await AlertsAsync(factory, both.TenantId)).Select(x => x.Condition));
        Assert.Equal(2, factory.Smtp.To(EmailOf(both.OwnerId)).Count);
    }

    [Fact]
    public async Task Without_an_owner_address_the_alert_is_recorded_as_no_address_and_get_me_refreshes_the_address()
    {
        var (owner, ownerId, tenantId, integrationId) = await TenantWithIntegrationAsync(factory, withEmail: false);
        Assert.Null(await factory.WithDbAsync(db => db.Tenants.Where(t => t.Id == tenantId).Select(t => t.OwnerEmail).SingleAsync()));
        await SetAsync(factory, integrationId, status: IntegrationStatus.Expired);
        await RunJobAsync(factory);

        var alert = Assert.Single(await AlertsAsync(factory, tenantId));
        Assert.Equal(EmailStatuses.NoAddress, alert.EmailStatus);
        Assert.Equal(0, alert.EmailAttempts);
        Assert.Empty(factory.Smtp.To(EmailOf(ownerId)));
        var listed = await owner.GetAsync($"/api/v1/tenants/{tenantId}/alerts").ReadDataAsync();
        Assert.Equal("no-address", listed.GetProperty("items")[0].GetProperty("emailStatus").GetString());

        // The owner signs in with a token that carries an email: GET /tenants/me stores it (and never shows it).
        var withEmail = factory.CreateClientFor(ownerId);
        var me = await (await withEmail.GetAsync("/api/v1/tenants/me")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("@example.test", me, StringComparison.Ordinal);
        Assert.Equal(EmailOf(ownerId), await factory.WithDbAsync(db => db.Tenants.Where(t => t.Id == tenantId).Select(t => t.OwnerEmail).SingleAsync()));
    }

    [Fact]
    public async Task The_owners_email_claim_is_stored_when_the_tenant_is_created()
    {
        var (_, ownerId, tenantId, _) = await TenantWithIntegrationAsync(factory);
        Assert.Equal(EmailOf(ownerId), await factory.WithDbAsync(db => db.Tenants.Where(t => t.Id == tenantId).Select(t => t.OwnerEmail).SingleAsync()));
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var list = await (await admin.GetAsync("/api/v1/tenants")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("ownerEmail", list, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(EmailOf(ownerId), list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alerts_page_newest_first_with_a_cursor()
    {
        var (owner, _, tenantId, integrationId) = await TenantWithIntegrationAsync(factory);
        await SetAsync(factory, integrationId, status: IntegrationStatus.Active, health: "unhealthy", error: "x");
        await RunJobAsync(factory);
        await SetAsync(factory, integrationId, failures: 9, error: "y");
        await RunJobAsync(factory);

        var first = await owner.GetAsync($"/api/v1/tenants/{tenantId}/alerts?limit=1").ReadDataAsync();
        Assert.True(first.GetProperty("hasMore").GetBoolean());
        Assert.Equal("sync-failing", first.GetProperty("items")[0].GetProperty("condition").GetString());
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await owner.GetAsync($"/api/v1/tenants/{tenantId}/alerts?limit=1&cursor={Uri.EscapeDataString(cursor!)}").ReadDataAsync();
        Assert.Equal("unhealthy", second.GetProperty("items")[0].GetProperty("condition").GetString());
        Assert.False(second.GetProperty("hasMore").GetBoolean());

        await (await owner.GetAsync($"/api/v1/tenants/{tenantId}/alerts?limit=0")).AssertErrorAsync(HttpStatusCode.BadRequest, "validation/invalid-input");
        var notANumber = await (await owner.GetAsync($"/api/v1/tenants/{tenantId}/alerts?limit=many")).AssertErrorAsync(HttpStatusCode.BadRequest, "validation/invalid-input");
        Assert.Equal("limit must be a whole number from 1 to 200", notANumber.GetProperty("message").GetString());
        await (await owner.GetAsync($"/api/v1/tenants/{tenantId}/alerts?cursor=bogus")).AssertErrorAsync(HttpStatusCode.BadRequest, "validation/invalid-input");
    }

    [Fact]
    public async Task Only_the_owner_and_superadmins_read_a_tenants_alerts()
    {
        var (owner, _, tenantId, _) = await TenantWithIntegrationAsync(factory);
        var other = factory.CreateClientFor(TestUsers.NewSubject("other"));
        await other.CreateTenantAsync();
        var url = $"/api/v1/tenants/{tenantId}/alerts";

        await (await other.GetAsync(url)).AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
        await (await factory.CreateClientFor(TestUsers.NewSubject("stranger")).GetAsync(url)).AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync(url)).StatusCode);
        await (await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"))).GetAsync(url).ReadDataAsync();
        await owner.GetAsync(url).ReadDataAsync();
    }
}
