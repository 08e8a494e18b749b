using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Integrations.Tokens;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;

namespace Mwap.Api.IntegrationTests.Features.Integrations;

/// <summary>The full connect flow per provider through the fakes: initiate → authorize → callback → refresh → health → revoke on delete.</summary>
public sealed class ConnectFlowTests(ConnectFlowApiFactory factory) : IClassFixture<ConnectFlowApiFactory>
{
    public static TheoryData<FakeProvider> Providers => [FakeProvider.Google, FakeProvider.Dropbox, FakeProvider.Microsoft];

    private FakeProviderState Fake(FakeProvider provider) => factory.Fake[provider];

    private Task<CloudIntegration> StoredAsync(string id) =>
        factory.WithDbAsync(db => db.Set<CloudIntegration>().AsNoTracking().SingleAsync(i => i.Id == id));

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Initiate_ReturnsAnAuthorizationUrl_WithPkceAndTheOfflineSwitch(FakeProvider provider)
    {
        var connection = await Connection.CreateAsync(factory, provider);
        var data = await connection.InitiateAsync();
        var url = data.GetProperty("authorizationUrl").GetString()!;

        Assert.Equal(ConnectFlowApiFactory.RedirectUri, data.GetProperty("redirectUri").GetString());
        Assert.False(string.IsNullOrEmpty(data.GetProperty("state").GetString()));
        Assert.Contains("code_challenge_method=S256", url, StringComparison.Ordinal);
        Assert.Contains("code_challenge=", url, StringComparison.Ordinal);
        Assert.Contains("redirect_uri=" + Uri.EscapeDataString(ConnectFlowApiFactory.RedirectUri), url, StringComparison.Ordinal);
        var offline = provider switch
        {
            FakeProvider.Google => "access_type=offline&prompt=consent",
            FakeProvider.Dropbox => "token_access_type=offline",
            _ => "offline_access",
        };
        Assert.Contains(offline, url, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Connect_Refresh_Health_Delete_WorkEndToEnd(FakeProvider provider)
    {
        var fake = Fake(provider);
        var connection = await Connection.CreateAsync(factory, provider);

        var location = await connection.ConnectAsync(factory);
        Assert.StartsWith($"/api/v1/oauth/success?tenantId={connection.TenantId}&integrationId={connection.IntegrationId}", location, StringComparison.Ordinal);

        var integration = await connection.Owner.GetAsync(connection.IntegrationUrl).ReadDataAsync();
        Assert.Equal("active", integration.GetProperty("status").GetString());
        Assert.Equal("[REDACTED]", integration.GetProperty("accessToken").GetString());
        Assert.Equal("[REDACTED]", integration.GetProperty("refreshToken").GetString());
        Assert.Equal(fake.Account.Email, integration.GetProperty("userInfo").GetProperty("email").GetString());
        Assert.NotEqual(0, integration.GetProperty("scopesGranted").GetArrayLength());
        Assert.Equal(JsonValueKind.String, integration.GetProperty("tokenExpiresAt").ValueKind);

        // No token the fake issued appears anywhere in the database in plain text.
        var dump = await factory.WithDbAsync(async db =>
            JsonSerializer.Serialize(await db.Set<CloudIntegration>().AsNoTracking().ToListAsync()) +
            JsonSerializer.Serialize(await db.AuditLogs.AsNoTracking().ToListAsync()));
        foreach (var token in fake.IssuedTokens)
        {
            Assert.DoesNotContain(token.Value, dump, StringComparison.Ordinal);
        }

        var before = await StoredAsync(connection.IntegrationId);
        var oldRefresh = factory.Secrets.Unprotect(before.EncryptedRefreshToken!, TokenService.RefreshContext(connection.IntegrationId));
        var refreshes = fake.RefreshRequests;
        var refreshed = await connection.Owner.PostAsync(connection.IntegrationUrl + "/refresh-token", null).ReadDataAsync();
        Assert.True(refreshed.GetProperty("success").GetBoolean(), "refresh-token keeps MWAP's double envelope");
        Assert.Equal("[REDACTED]", refreshed.GetProperty("data").GetProperty("accessToken").GetString());
        Assert.Equal(refreshes + 1, fake.RefreshRequests);
        var after = await StoredAsync(connection.IntegrationId);
        var newRefresh = factory.Secrets.Unprotect(after.EncryptedRefreshToken!, TokenService.RefreshContext(connection.IntegrationId));
        if (provider == FakeProvider.Microsoft)
        {
            Assert.NotEqual(oldRefresh, newRefresh); // Microsoft rotates: the new one is stored
        }
        else
        {
            Assert.Equal(oldRefresh, newRefresh); // Google and Dropbox send none: the old one is kept
        }

        Assert.NotEqual(before.EncryptedAccessToken, after.EncryptedAccessToken);

        var health = await connection.Owner.GetAsync(connection.IntegrationUrl + "/health").ReadDataAsync();
        Assert.Equal("healthy", health.GetProperty("status").GetString());

        var revocations = fake.RevokeRequests;
        Assert.Equal(HttpStatusCode.NoContent, (await connection.Owner.DeleteAsync(connection.IntegrationUrl)).StatusCode);
        Assert.Equal(provider == FakeProvider.Microsoft ? revocations : revocations + 1, fake.RevokeRequests);
        Assert.Equal(0, await factory.WithDbAsync(db => db.Set<CloudIntegration>().CountAsync(i => i.Id == connection.IntegrationId)));
    }

    [Fact]
    public async Task SuccessAndErrorPages_AreServedWithAndWithoutThePrefix_AndEscapeEverything()
    {
        var client = factory.CreateClient();
        foreach (var prefix in new[] { "/api/v1", "" })
        {
            var success = await client.GetAsync($"{prefix}/oauth/success?tenantId=a&integrationId=%3Cscript%3Ealert(1)%3C/script%3E");
            Assert.Equal(HttpStatusCode.OK, success.StatusCode);
            var html = await success.Content.ReadAsStringAsync();
            Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
            Assert.Contains($"\"{ConnectFlowApiFactory.FrontendOrigin}\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("'*'", html, StringComparison.Ordinal);
            Assert.Contains("nonce-", success.Content.Headers.Contains("Content-Security-Policy") ? "" : success.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

            var error = await client.GetAsync($"{prefix}/oauth/error?message=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E&code=X");
            Assert.Equal(HttpStatusCode.OK, error.StatusCode);
            Assert.DoesNotContain("<img", await error.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/oauth/success")).StatusCode);
    }

    [Fact]
    public async Task ProviderDenial_EndsOnTheErrorPage_AndChangesNothing()
    {
        var connection = await Connection.CreateAsync(factory, FakeProvider.Dropbox);
        factory.Fake.Dropbox.DenyNextAuthorization();
        var location = await connection.ConnectAsync(factory);
        Assert.StartsWith("/api/v1/oauth/error?message=Authentication%20failed", location, StringComparison.Ordinal);
        var stored = await StoredAsync(connection.IntegrationId);
        Assert.Null(stored.EncryptedAccessToken);
        Assert.Equal("pending", stored.Status);
    }

    [Fact]
    public async Task GoogleWithoutTheDriveScope_IsConnectedButUnhealthy()
    {
        var connection = await Connection.CreateAsync(factory, FakeProvider.Google);
        factory.Fake.Google.GrantOnlyScopes("openid", "email");
        try
        {
            await connection.ConnectAsync(factory);
        }
        finally
        {
            factory.Fake.Google.GrantAllScopes();
        }

        var integration = await connection.Owner.GetAsync(connection.IntegrationUrl).ReadDataAsync();
        Assert.Equal("unhealthy", integration.GetProperty("health").GetProperty("status").GetString());
    }
}
