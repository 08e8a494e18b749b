using System.Net;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Integrations;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;

namespace Mwap.Api.IntegrationTests.Features.Compatibility;

/// <summary>MWAP's integration page: Activate/Deactivate through <c>status</c>, and granted scopes that survive a refresh.</summary>
public sealed class IntegrationStatusCompatibilityTests(ConnectFlowApiFactory factory) : IClassFixture<ConnectFlowApiFactory>
{
    private static string[] Scopes(System.Text.Json.JsonElement integration) =>
        [.. integration.GetProperty("scopesGranted").EnumerateArray().Select(s => s.GetString()!)];

    [Fact]
    public async Task Dropbox_ScopesComeFromTheTokenAnswer_AndARefreshWithoutScopeKeepsThem()
    {
        var fake = factory.Fake.Dropbox;
        fake.GrantOnlyScopes("files.metadata.read", "account_info.read");
        Connection connection;
        try
        {
            connection = await Connection.CreateAsync(factory, FakeProvider.Dropbox);
            await connection.ConnectAsync(factory);
        }
        finally
        {
            fake.GrantAllScopes();
        }

        var connected = await connection.Owner.GetAsync(connection.IntegrationUrl).ReadDataAsync();
        Assert.Equal(["files.metadata.read", "account_info.read"], Scopes(connected));

        var refreshes = fake.RefreshRequests;
        var refreshed = await connection.Owner.PostAsync(
            $"/api/v1/oauth/tenants/{connection.TenantId}/integrations/{connection.IntegrationId}/refresh", null).ReadDataAsync();
        Assert.Equal(refreshes + 1, fake.RefreshRequests);
        Assert.Equal(["files.metadata.read", "account_info.read"], Scopes(refreshed));
        Assert.Equal(["files.metadata.read", "account_info.read"], Scopes(await connection.Owner.GetAsync(connection.IntegrationUrl).ReadDataAsync()));
    }

    [Theory]
    [InlineData("revoked")]
    [InlineData("inactive")]
    public async Task Deactivate_ThenActivate_AsTheClientsButtonsDo(string deactivate)
    {
        var connection = await Connection.CreateAsync(factory, FakeProvider.Dropbox);
        await connection.ConnectAsync(factory);

        var off = await connection.Owner.PatchJsonAsync(connection.IntegrationUrl, new { status = deactivate }).ReadDataAsync();
        Assert.Equal("inactive", off.GetProperty("status").GetString());
        Assert.Equal("[REDACTED]", off.GetProperty("accessToken").GetString());

        var on = await connection.Owner.PatchJsonAsync(connection.IntegrationUrl, new { status = "active" }).ReadDataAsync();
        Assert.Equal("active", on.GetProperty("status").GetString());
        var stored = await factory.WithDbAsync(db => db.Set<CloudIntegration>().AsNoTracking().SingleAsync(i => i.Id == connection.IntegrationId));
        Assert.Equal(IntegrationStatus.Active, stored.Status);
        Assert.NotNull(stored.EncryptedAccessToken);
    }

    [Fact]
    public async Task Activate_NeverConnected_Returns409NotConnected_SayingToUseOAuth()
    {
        var connection = await Connection.CreateAsync(factory, FakeProvider.Google);
        var error = await (await connection.Owner.PatchJsonAsync(connection.IntegrationUrl, new { status = "active" }))
            .AssertErrorAsync(HttpStatusCode.Conflict, "cloud-integration/not-connected");
        Assert.Contains("OAuth", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var stored = await factory.WithDbAsync(db => db.Set<CloudIntegration>().AsNoTracking().SingleAsync(i => i.Id == connection.IntegrationId));
        Assert.Equal(IntegrationStatus.Pending, stored.Status);
    }

    [Fact]
    public async Task Activate_AnExpiredConnection_Returns409_AndKeepsItExpired()
    {
        var connection = await Connection.CreateAsync(factory, FakeProvider.Microsoft);
        await connection.ConnectAsync(factory);
        await factory.WithDbAsync(db => db.Set<CloudIntegration>().Where(i => i.Id == connection.IntegrationId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, IntegrationStatus.Expired)));
        await (await connection.Owner.PatchJsonAsync(connection.IntegrationUrl, new { status = "active" }))
            .AssertErrorAsync(HttpStatusCode.Conflict, "cloud-integration/not-connected");
        var stored = await factory.WithDbAsync(db => db.Set<CloudIntegration>().AsNoTracking().SingleAsync(i => i.Id == connection.IntegrationId));
        Assert.Equal(IntegrationStatus.Expired, stored.Status);
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("error")]
    public async Task ServerOwnedStatuses_Return400_AndChangeNothing(string status)
    {
        var connection = await Connection.CreateAsync(factory, FakeProvider.Dropbox);
        await connection.ConnectAsync(factory);
        var error = await (await connection.Owner.PatchJsonAsync(connection.IntegrationUrl, new { status }))
            .AssertErrorAsync(HttpStatusCode.BadRequest, "cloud-integration/invalid-input");
        Assert.Contains("active, inactive, revoked", error.GetProperty("details").GetProperty("status").GetString(), StringComparison.Ordinal);
        var stored = await factory.WithDbAsync(db => db.Set<CloudIntegration>().AsNoTracking().SingleAsync(i => i.Id == connection.IntegrationId));
        Assert.Equal(IntegrationStatus.Active, stored.Status);
    }
}
