using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Integrations.Tokens;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;

namespace Mwap.Api.IntegrationTests.Features.Providers;

/// <summary>
/// Issue 12 item 5: Microsoft refresh answers that only the user can fix (MFA, consent withdrawn, password changed,
/// 90 days idle) expire the integration with the reason, and the refresh job stops retrying it.
/// </summary>
public sealed class MicrosoftReconnectTests(ConnectFlowApiFactory factory) : IClassFixture<ConnectFlowApiFactory>
{
    [Theory]
    [InlineData(FakeRefreshFailure.InteractionRequired, "interaction_required (AADSTS50076)")]
    [InlineData(FakeRefreshFailure.ConsentRequired, "invalid_grant/consent_required (AADSTS65001)")]
    [InlineData(FakeRefreshFailure.PasswordChanged, "invalid_grant (AADSTS50173)")]
    [InlineData(FakeRefreshFailure.Inactive, "invalid_grant (AADSTS700082)")]
    public async Task RefreshNeedingTheUser_ExpiresTheIntegrationWithTheReason_AndIsNotRetried(FakeRefreshFailure failure, string reason)
    {
        var connection = await Connection.CreateAsync(factory, FakeProvider.Microsoft);
        Assert.StartsWith("/api/v1/oauth/success", await connection.ConnectAsync(factory), StringComparison.Ordinal);
        var fake = factory.Fake.Microsoft;
        fake.RefreshFailure = failure;
        try
        {
            var response = await connection.Owner.PostAsync(connection.IntegrationUrl + "/refresh-token", null);
            await response.AssertErrorAsync(HttpStatusCode.Conflict, "oauth/reconnect-required");
            var stored = await factory.WithDbAsync(db => db.Set<CloudIntegration>().AsNoTracking().SingleAsync(i => i.Id == connection.IntegrationId));
            Assert.Equal(IntegrationStatus.Expired, stored.Status);
            Assert.Contains(reason, stored.Health.LastError, StringComparison.Ordinal);
            Assert.DoesNotContain("Trace ID", stored.Health.LastError, StringComparison.Ordinal);

            await factory.WithDbAsync(db => db.Set<CloudIntegration>().Where(i => i.Id == connection.IntegrationId)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.TokenExpiresAt, DateTime.UtcNow.AddMinutes(1))));
            var before = fake.RefreshRequests;
            await using var scope = factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<TokenRefreshJob>().RunAsync(CancellationToken.None);
            Assert.Equal(before, fake.RefreshRequests);
        }
        finally
        {
            fake.RefreshFailure = null;
        }
    }
}
