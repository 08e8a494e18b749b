using System.Net;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using Mwap.FakeProviders.Tokens;

namespace Mwap.Api.IntegrationTests.Features.Providers;

/// <summary>
/// Issue 12 item 6: Dropbox revokes by access token; an expired one answers 401 and revokes nothing. Deleting the
/// integration refreshes and revokes again, and a revocation that failed says so in the audit entry.
/// </summary>
public sealed class DropboxRevokeTests(ConnectFlowApiFactory factory) : IClassFixture<ConnectFlowApiFactory>
{
    [Fact]
    public async Task DeleteWithAnExpiredAccessToken_RefreshesThenRevokes_AndTheRefreshTokenIsDead()
    {
        var fake = factory.Fake.Dropbox;
        var connection = await Connection.CreateAsync(factory, FakeProvider.Dropbox);
        Assert.StartsWith("/api/v1/oauth/success", await connection.ConnectAsync(factory), StringComparison.Ordinal);
        var refreshToken = fake.IssuedTokens.Last(t => t.Kind == FakeTokenKind.RefreshToken).Value;
        fake.ExpireAccessTokens();

        Assert.Equal(HttpStatusCode.NoContent, (await connection.Owner.DeleteAsync(connection.IntegrationUrl)).StatusCode);

        Assert.False(fake.FindToken(refreshToken)!.IsActive);
        Assert.Contains("\"revoked\":\"revoked\"", await DeleteAuditAsync(connection.IntegrationId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevocationThatFails_IsRecordedAsFailed_AndTheIntegrationIsStillDeleted()
    {
        var fake = factory.Fake.Dropbox;
        var connection = await Connection.CreateAsync(factory, FakeProvider.Dropbox);
        Assert.StartsWith("/api/v1/oauth/success", await connection.ConnectAsync(factory), StringComparison.Ordinal);
        fake.ExpireAccessTokens();
        fake.RevokeAllTokens(); // the refresh fails too: nothing can revoke now

        Assert.Equal(HttpStatusCode.NoContent, (await connection.Owner.DeleteAsync(connection.IntegrationUrl)).StatusCode);

        Assert.Contains("\"revoked\":\"failed\"", await DeleteAuditAsync(connection.IntegrationId), StringComparison.Ordinal);
        Assert.Equal(0, await factory.WithDbAsync(db => db.Set<Mwap.Api.Features.Integrations.CloudIntegration>().CountAsync(i => i.Id == connection.IntegrationId)));
    }

    private Task<string> DeleteAuditAsync(string integrationId) =>
        factory.WithDbAsync(async db => (await db.AuditLogs.AsNoTracking()
            .SingleAsync(a => a.Action == "cloud-integration.delete" && a.TargetId == integrationId)).Details ?? "");
}
