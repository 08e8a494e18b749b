using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Notifications;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;

namespace Mwap.Api.IntegrationTests.Features.Notifications;

internal static class AlertsTestKit
{
    /// <summary>The address the test issuer puts in a subject's <c>email</c> claim.</summary>
    public static string EmailOf(string subject) => subject.Replace('|', '.') + "@example.test";

    public static async Task<AlertsRunResult> RunJobAsync(MwapApiFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IntegrationAlertsJob>().RunAsync(CancellationToken.None);
    }

    /// <summary>A tenant (owner token with or without an email claim) with a pending integration of <paramref name="provider"/>.</summary>
    public static async Task<(HttpClient Owner, string OwnerId, string TenantId, string IntegrationId)> TenantWithIntegrationAsync(
        ConnectFlowApiFactory factory, FakeProvider provider = FakeProvider.Google, bool withEmail = true)
    {
        var ownerId = TestUsers.NewSubject("owner");
        var owner = withEmail ? factory.CreateClientFor(ownerId) : factory.CreateClientWithToken(factory.Issuer.CreateToken(ownerId, d => d.Claims.Remove("email")));
        var tenantId = await owner.CreateTenantAsync();
        var integrationId = await owner.CreateIntegrationAsync(tenantId, factory.ProviderIds[provider]);
        return (owner, ownerId, tenantId, integrationId);
    }

    public static Task<int> SetAsync(MwapApiFactory factory, string integrationId, string? status = null, string? health = null, int? failures = null, string? error = null) =>
        factory.WithDbAsync(db => db.Set<CloudIntegration>().Where(i => i.Id == integrationId).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Status, i => status ?? i.Status)
            .SetProperty(i => i.Health.Status, i => health ?? i.Health.Status)
            .SetProperty(i => i.Health.LastError, i => health != null ? error : i.Health.LastError)
            .SetProperty(i => i.Sync.ConsecutiveFailures, i => failures ?? i.Sync.ConsecutiveFailures)
            .SetProperty(i => i.Sync.LastError, i => failures != null ? error : i.Sync.LastError)));

    public static Task<List<TenantAlert>> AlertsAsync(MwapApiFactory factory, string tenantId) =>
        factory.WithDbAsync(db => db.Set<TenantAlert>().AsNoTracking().Where(a => a.TenantId == tenantId).OrderBy(a => a.Condition).ToListAsync());
}
