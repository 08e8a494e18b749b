using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.Webhooks;
using Mwap.Api.IntegrationTests.Features.Providers;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using static Mwap.Api.IntegrationTests.Features.Webhooks.ChangeNotificationHarness;

namespace Mwap.Api.IntegrationTests.Features.Webhooks;

/// <summary>
/// Issue 12 item 11 (Microsoft Graph and Google Drive): a subscription is created after connect, renewed by the
/// recurring job before it expires (re-created when Graph has lost it), and removed at the provider on delete.
/// </summary>
public sealed class ChangeSubscriptionTests : IClassFixture<WebhooksApiFactory>
{
    private readonly WebhooksApiFactory _factory;

    public ChangeSubscriptionTests(WebhooksApiFactory factory)
    {
        _factory = factory;
        RouteNotificationsTo(factory);
    }

    [Theory]
    [MemberData(nameof(ChangeNotificationHarness.Providers), MemberType = typeof(ChangeNotificationHarness))]
    public async Task Connect_CreatesASubscriptionAtTheProvider_AndStoresOnlyTheSecretsHash(FakeProvider provider)
    {
        var (connection, row) = await ConnectAsync(_factory, provider);

        var secret = SecretAtTheFake(_factory, row);
        Assert.False(string.IsNullOrEmpty(secret));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret))), row.SecretHash);
        Assert.DoesNotContain(secret, row.SecretHash, StringComparison.Ordinal);
        Assert.True(row.ExpiresAt > DateTime.UtcNow.AddDays(2) && row.ExpiresAt < DateTime.UtcNow.AddDays(4), $"expires {row.ExpiresAt:O}");
        if (provider == FakeProvider.Microsoft)
        {
            var subscription = _factory.Fake.Microsoft.GraphSubscriptions.Live.Single(s => s.Id == row.ExternalId);
            Assert.Equal(PublicBaseUrl + "/api/v1/webhooks/microsoft", subscription.NotificationUrl);
            Assert.Equal("updated", subscription.ChangeType);
        }
        else
        {
            var channel = _factory.Fake.Google.DriveChannels.Live.Single(c => c.Id == row.ExternalId);
            Assert.Equal(PublicBaseUrl + "/api/v1/webhooks/google", channel.Address);
            Assert.Equal(channel.ResourceId, row.ResourceId);
        }

        Assert.True(await AuditedAsync(connection.IntegrationId, "webhook.subscription.create", AuditOutcome.Success));
    }

    [Theory]
    [MemberData(nameof(ChangeNotificationHarness.Providers), MemberType = typeof(ChangeNotificationHarness))]
    public async Task RenewalJob_RenewsOnlyWhenDue_BeforeExpiry(FakeProvider provider)
    {
        var (connection, row) = await ConnectAsync(_factory, provider);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        // Three days to go: nothing is due.
        await RenewAsync(clock);
        var unchanged = (await RowsAsync(_factory, connection.IntegrationId)).Single();
        Assert.Equal((row.ExternalId, row.ExpiresAt), (unchanged.ExternalId, unchanged.ExpiresAt));

        // Twenty-three hours to go (inside the one-day window): renewed, with a later expiry, and still one per integration.
        clock.Advance(row.ExpiresAt - clock.GetUtcNow().UtcDateTime - TimeSpan.FromHours(23));
        await RenewAsync(clock);
        var renewed = (await RowsAsync(_factory, connection.IntegrationId)).Single();
        Assert.True(renewed.ExpiresAt > row.ExpiresAt.AddDays(1), $"renewed to {renewed.ExpiresAt:O}, was {row.ExpiresAt:O}");
        if (provider == FakeProvider.Microsoft)
        {
            Assert.Equal(row.ExternalId, renewed.ExternalId);
            Assert.Equal(renewed.ExpiresAt, _factory.Fake.Microsoft.GraphSubscriptions.Live.Single(s => s.Id == row.ExternalId).ExpirationDateTime.UtcDateTime);
            Assert.True(await AuditedAsync(connection.IntegrationId, "webhook.subscription.renew", AuditOutcome.Success));
        }
        else
        {
            // A channel cannot be extended: a new one is opened, then the old one stopped.
            Assert.NotEqual(row.ExternalId, renewed.ExternalId);
            Assert.Contains(row.ExternalId, _factory.Fake.Google.DriveChannels.Stopped);
            Assert.Contains(_factory.Fake.Google.DriveChannels.Live, c => c.Id == renewed.ExternalId);
            Assert.DoesNotContain(_factory.Fake.Google.DriveChannels.Live, c => c.Id == row.ExternalId);
        }
    }

    [Fact]
    public async Task RenewalJob_RecreatesAGraphSubscription_ThatGraphNoLongerHas()
    {
        var (connection, row) = await ConnectAsync(_factory, FakeProvider.Microsoft);
        Assert.True(_factory.Fake.Microsoft.GraphSubscriptions.Forget(row.ExternalId));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        clock.Advance(row.ExpiresAt - clock.GetUtcNow().UtcDateTime - TimeSpan.FromHours(2));

        await RenewAsync(clock);

        var recreated = (await RowsAsync(_factory, connection.IntegrationId)).Single();
        Assert.NotEqual(row.ExternalId, recreated.ExternalId);
        Assert.NotEqual(row.SecretHash, recreated.SecretHash);
        Assert.Contains(_factory.Fake.Microsoft.GraphSubscriptions.Live, s => s.Id == recreated.ExternalId);
        Assert.True(await AuditedAsync(connection.IntegrationId, "webhook.subscription.create", AuditOutcome.Success, "renew-not-found"));
    }

    [Theory]
    [MemberData(nameof(ChangeNotificationHarness.Providers), MemberType = typeof(ChangeNotificationHarness))]
    public async Task DeletingTheIntegration_DeletesTheSubscriptionAtTheProvider(FakeProvider provider)
    {
        var (connection, row) = await ConnectAsync(_factory, provider);

        Assert.Equal(HttpStatusCode.NoContent, (await connection.Owner.DeleteAsync(connection.IntegrationUrl)).StatusCode);

        Assert.Contains(row.ExternalId, provider == FakeProvider.Microsoft
            ? _factory.Fake.Microsoft.GraphSubscriptions.Deleted : _factory.Fake.Google.DriveChannels.Stopped);
        Assert.Empty(await RowsAsync(_factory, connection.IntegrationId));
        Assert.True(await AuditedAsync(connection.IntegrationId, "webhook.subscription.delete", AuditOutcome.Success));
    }

    [Fact]
    public async Task DeletingTheTenant_DeletesTheSubscriptionAtTheProvider()
    {
        var (connection, row) = await ConnectAsync(_factory, FakeProvider.Microsoft);
        var admin = await _factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/tenants/{connection.TenantId}")).StatusCode);

        Assert.Contains(row.ExternalId, _factory.Fake.Microsoft.GraphSubscriptions.Deleted);
        Assert.Empty(await RowsAsync(_factory, connection.IntegrationId));
    }

    private async Task RenewAsync(FakeTimeProvider clock)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        await ActivatorUtilities.CreateInstance<ChangeSubscriptionService>(scope.ServiceProvider, clock).RenewDueAsync(CancellationToken.None);
    }

    private Task<bool> AuditedAsync(string integrationId, string action, string outcome, string? detail = null) =>
        _factory.WithDbAsync(db => db.Set<AuditLogEntry>().AsNoTracking()
            .AnyAsync(e => e.TargetId == integrationId && e.Action == action && e.Outcome == outcome && (detail == null || e.Details!.Contains(detail))));
}

/// <summary>Webhooks off: no subscription is created, by the connect path or the job, and the routes do not answer.</summary>
public sealed class ChangeSubscriptionsOffTests(ConnectFlowApiFactory factory) : IClassFixture<ConnectFlowApiFactory>
{
    [Theory]
    [MemberData(nameof(ChangeNotificationHarness.Providers), MemberType = typeof(ChangeNotificationHarness))]
    public async Task NoSubscription_IsCreated_WhenNoPublicBaseUrlIsSet(FakeProvider provider)
    {
        var connection = await Files.FileSyncHarness.ConnectAsync(factory, provider);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var service = scope.ServiceProvider.GetRequiredService<ChangeSubscriptionService>();
            await service.EnsureAsync(connection.IntegrationId, CancellationToken.None);
            Assert.Equal(0, await service.RenewDueAsync(CancellationToken.None));
        }

        Assert.Empty(await RowsAsync(factory, connection.IntegrationId));
        Assert.Empty(factory.Fake.Microsoft.GraphSubscriptions.Live);
        Assert.Empty(factory.Fake.Google.DriveChannels.Live);
        await (await factory.CreateClient().PostAsync("/api/v1/webhooks/microsoft?validationToken=x", null))
            .AssertErrorAsync(HttpStatusCode.NotFound, "webhooks/disabled");
        await (await factory.CreateClient().PostAsync("/api/v1/webhooks/google", null)).AssertErrorAsync(HttpStatusCode.NotFound, "webhooks/disabled");
    }
}
