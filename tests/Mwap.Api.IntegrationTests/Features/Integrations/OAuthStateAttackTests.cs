using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Integrations.OAuth;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;

namespace Mwap.Api.IntegrationTests.Features.Integrations;

/// <summary>
/// Every forged, replayed, stale or foreign state ends on the error page and changes nothing. Refusals that match a live
/// flow leave an audit row; the rest are counted per address and minute.
/// </summary>
public sealed class OAuthStateAttackTests(ConnectFlowApiFactory factory) : IClassFixture<ConnectFlowApiFactory>
{
    private byte[] StateKey => factory.Services.GetRequiredService<OAuthKeys>().StateKey;

    private async Task AssertUnchangedAsync(string integrationId, string? expectedAccessToken = null)
    {
        var stored = await factory.WithDbAsync(db => db.Set<CloudIntegration>().AsNoTracking().SingleAsync(i => i.Id == integrationId));
        Assert.Equal(expectedAccessToken, stored.EncryptedAccessToken);
        if (expectedAccessToken is null)
        {
            Assert.Equal("pending", stored.Status);
        }
    }

    private async Task<string> CallbackAsync(string code, string state, string? cookie = null) =>
        await Connection.CallbackAsync(factory, new Uri($"http://localhost/api/v1/oauth/callback?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(state)}"), cookie);

    private Task<int> FailureAuditsAsync(string integrationId) =>
        factory.WithDbAsync(db => db.AuditLogs.CountAsync(a => a.TargetId == integrationId && a.Outcome == "failure"));

    /// <summary>Anonymous refusals counted (not audited) for <paramref name="code"/>, over every address and minute.</summary>
    private Task<int> CountedRefusalsAsync(string code) =>
        factory.WithDbAsync(db => db.Set<OAuthCallbackFailure>().Where(f => f.Code == code).SumAsync(f => f.Count));

    [Fact]
    public async Task ReplayedState_IsRefused()
    {
        var connection = await Connection.CreateAsync(factory, FakeProvider.Dropbox);
        var initiated = await connection.InitiateAsync();
        var redirect = await Connection.AuthorizeAtProviderAsync(initiated.GetProperty("authorizationUrl").GetString()!);
        Assert.StartsWith("/api/v1/oauth/success", await Connection.CallbackAsync(factory, redirect, connection.BrowserCookie), StringComparison.Ordinal);
        var tokensAfterFirst = (await factory.WithDbAsync(db => db.Set<CloudIntegration>().AsNoTracking().SingleAsync(i => i.Id == connection.IntegrationId))).EncryptedAccessToken;

        var replaysBefore = await CountedRefusalsAsync("INVALID_OR_REPLAYED_STATE");
        var auditsBefore = await factory.WithDbAsync(db => db.AuditLogs.CountAsync());

        var replay = await Connection.CallbackAsync(factory, redirect, connection.BrowserCookie);

        Assert.StartsWith("/api/v1/oauth/error?message=", replay, StringComparison.Ordinal);
        await AssertUnchangedAsync(connection.IntegrationId, tokensAfterFirst);
        // The spent state matches no flow: counted for the address, not audited row by row.
        Assert.Equal(replaysBefore + 1, await CountedRefusalsAsync("INVALID_OR_REPLAYED_STATE"));
        Assert.Equal(auditsBefore, await factory.WithDbAsync(db => db.AuditLogs.CountAsync()));
    }

    [Fact]
    public async Task TamperedState_IsRefused()
    {
        var connection = await Connection.CreateAsync(factory, FakeProvider.Google);
        var state = (await connection.InitiateAsync()).GetProperty("state").GetString()!;
        var json = JsonNode.Parse(Base64UrlEncoder.Decode(state))!;
        json["p"]!["userId"] = "auth0|mallory";
        var tampered = Base64UrlEncoder.Encode(json.ToJsonString());

        var location = await CallbackAsync("any-code", tampered);

        Assert.StartsWith("/api/v1/oauth/error?message=", location, StringComparison.Ordinal);
        Assert.Contains("INVALID_STATE_SIGNATURE", location, StringComparison.Ordinal);
        await AssertUnchangedAsync(connection.IntegrationId);
    }

    [Theory]
    [InlineData("not-base64!!")]
    [InlineData("e30")]
    [InlineData("")]
    public async Task GarbageState_IsRefused(string state)
    {
        var location = await CallbackAsync("code", state);
        Assert.StartsWith("/api/v1/oauth/error?message=", location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredState_IsRefused()
    {
        var connection = await Connection.CreateAsync(factory, FakeProvider.Google);
        var old = DateTimeOffset.UtcNow.AddMinutes(-30);
        var state = OAuthState.Create(new OAuthStatePayload(connection.TenantId, connection.IntegrationId, connection.OwnerId,
            old.ToUnixTimeMilliseconds(), Base64UrlEncoder.Encode(Guid.NewGuid().ToByteArray()), old.ToUnixTimeSeconds(), old.AddMinutes(10).ToUnixTimeSeconds()), StateKey);

        var location = await CallbackAsync("code", state);

        Assert.StartsWith("/api/v1/oauth/error?message=Request%20has%20expired", location, StringComparison.Ordinal);
        await AssertUnchangedAsync(connection.IntegrationId);
        Assert.True(await CountedRefusalsAsync("STATE_EXPIRED") >= 1);
        Assert.Equal(0, await FailureAuditsAsync(connection.IntegrationId));
    }

    [Fact]
    public async Task AnotherTenantsState_CannotCompleteThisIntegration()
    {
        var victim = await Connection.CreateAsync(factory, FakeProvider.Dropbox);
        var attacker = await Connection.CreateAsync(factory, FakeProvider.Dropbox);
        // A validly signed state naming the victim's integration but the attacker's tenant and user: no flow matches it.
        var now = DateTimeOffset.UtcNow;
        var state = OAuthState.Create(new OAuthStatePayload(attacker.TenantId, victim.IntegrationId, attacker.OwnerId,
            now.ToUnixTimeMilliseconds(), Base64UrlEncoder.Encode(Guid.NewGuid().ToByteArray()), now.ToUnixTimeSeconds(), now.AddMinutes(10).ToUnixTimeSeconds()), StateKey);

        var location = await CallbackAsync("code", state);

        Assert.StartsWith("/api/v1/oauth/error?message=", location, StringComparison.Ordinal);
        await AssertUnchangedAsync(victim.IntegrationId);
    }

    [Fact]
    public async Task StateOfAUserWhoNoLongerOwnsTheTenant_IsRefused()
    {
        var connection = await Connection.CreateAsync(factory, FakeProvider.Dropbox);
        var stranger = TestUsers.NewSubject("stranger");
        var (state, cookie) = await SeedFlowAsync(connection, stranger, verifierIntact: true);

        var location = await CallbackAsync("code", state, cookie);

        Assert.StartsWith("/api/v1/oauth/error?message=Integration%20not%20accessible", location, StringComparison.Ordinal);
        await AssertUnchangedAsync(connection.IntegrationId);
    }

    [Fact]
    public async Task FlowWithoutAUsableVerifier_IsRefused()
    {
        var connection = await Connection.CreateAsync(factory, FakeProvider.Dropbox);
        var (state, cookie) = await SeedFlowAsync(connection, connection.OwnerId, verifierIntact: false);

        var location = await CallbackAsync("code", state, cookie);

        Assert.StartsWith("/api/v1/oauth/error?message=Unable%20to%20process%20request", location, StringComparison.Ordinal);
        await AssertUnchangedAsync(connection.IntegrationId);
    }

    [Fact]
    public async Task ResetClearsTheUnfinishedFlow_SoItsStateNoLongerWorks()
    {
        var connection = await Connection.CreateAsync(factory, FakeProvider.Microsoft);
        var initiated = await connection.InitiateAsync();
        var redirect = await Connection.AuthorizeAtProviderAsync(initiated.GetProperty("authorizationUrl").GetString()!);
        var reset = await connection.Owner.PostAsync($"/api/v1/oauth/tenants/{connection.TenantId}/integrations/{connection.IntegrationId}/reset", null).ReadDataAsync();
        Assert.True(reset.GetProperty("success").GetBoolean());

        Assert.StartsWith("/api/v1/oauth/error?message=", await Connection.CallbackAsync(factory, redirect, connection.BrowserCookie), StringComparison.Ordinal);
        await AssertUnchangedAsync(connection.IntegrationId);
    }

    [Fact]
    public async Task MissingCodeOrState_IsRefused()
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/api/v1/oauth/callback?state=abc");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/api/v1/oauth/error?message=Invalid%20request%20parameters", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initiate_ByAnotherTenantsOwner_Returns403()
    {
        var victim = await Connection.CreateAsync(factory, FakeProvider.Google);
        var intruder = factory.CreateClientFor(TestUsers.NewSubject());
        await intruder.CreateTenantAsync();
        var response = await intruder.PostAsync($"/api/v1/oauth/tenants/{victim.TenantId}/integrations/{victim.IntegrationId}/initiate", null);
        await response.AssertErrorAsync(System.Net.HttpStatusCode.Forbidden, "auth/insufficient-permissions");
        Assert.Equal(0, await factory.WithDbAsync(db => db.Set<OAuthFlow>().CountAsync(f => f.IntegrationId == victim.IntegrationId)));
    }

    /// <summary>A flow row as initiate would write it, bound to a browser; returns its state and that browser's cookie.</summary>
    private async Task<(string State, string Cookie)> SeedFlowAsync(Connection connection, string userId, bool verifierIntact)
    {
        var now = DateTimeOffset.UtcNow;
        var nonce = Base64UrlEncoder.Encode(Guid.NewGuid().ToByteArray());
        var binding = OAuthBrowserBinding.NewValue();
        var flowId = ObjectId.NewId();
        var secrets = factory.Secrets;
        var verifier = secrets.Protect("verifier-" + Guid.NewGuid().ToString("N"), new SecretContext(OAuthFlow.TableName, verifierIntact ? flowId : ObjectId.NewId(), "code_verifier"));
        await factory.WithDbAsync(async db =>
        {
            db.Add(new OAuthFlow
            {
                Id = flowId,
                TenantId = connection.TenantId,
                IntegrationId = connection.IntegrationId,
                UserId = userId,
                Nonce = nonce,
                BrowserBindingHash = OAuthBrowserBinding.Hash(binding),
                EncryptedCodeVerifier = verifier,
                ExpiresAt = now.AddMinutes(10).UtcDateTime,
                CreatedAt = now.UtcDateTime,
            });
            return await db.SaveChangesAsync();
        });
        var state = OAuthState.Create(new OAuthStatePayload(connection.TenantId, connection.IntegrationId, userId, now.ToUnixTimeMilliseconds(), nonce,
            now.ToUnixTimeSeconds(), now.AddMinutes(10).ToUnixTimeSeconds()), StateKey);
        return (state, $"{OAuthBrowserBinding.CookieName(connection.IntegrationId)}={binding}");
    }
}
