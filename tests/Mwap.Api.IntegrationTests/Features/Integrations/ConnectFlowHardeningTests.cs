using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Integrations.OAuth;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;

namespace Mwap.Api.IntegrationTests.Features.Integrations;

/// <summary>
/// The connect flow is bound to the browser that started it; anonymous callback noise is counted per address, not
/// audited row by row; deleting a tenant revokes its grants at the providers.
/// </summary>
public sealed class ConnectFlowHardeningTests(ConnectFlowApiFactory factory) : IClassFixture<ConnectFlowApiFactory>
{
    private Task<CloudIntegration> StoredAsync(string id) =>
        factory.WithDbAsync(db => db.Set<CloudIntegration>().AsNoTracking().SingleAsync(i => i.Id == id));

    private Task<int> AuditRowsAsync() => factory.WithDbAsync(db => db.AuditLogs.CountAsync());

    private Task<int> CountedAsync(string code) =>
        factory.WithDbAsync(db => db.Set<OAuthCallbackFailure>().Where(f => f.Code == code).SumAsync(f => f.Count));

    [Fact]
    public async Task Initiate_SetsAShortLivedHttpOnlySecureLaxCookie_ScopedToTheCallback_AndStoresOnlyItsHash()
    {
        var connection = await Connection.CreateAsync(factory, FakeProvider.Dropbox);
        var response = await connection.Owner.PostAsync($"/api/v1/oauth/tenants/{connection.TenantId}/integrations/{connection.IntegrationId}/initiate", null);

        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Secure-mwap-oauth-", StringComparison.Ordinal));
        Assert.StartsWith(OAuthBrowserBinding.CookieName(connection.IntegrationId) + "=", setCookie, StringComparison.Ordinal);
        foreach (var attribute in new[] { "httponly", "secure", "samesite=lax", "path=/api/v1/oauth/callback", "max-age=600" })
        {
            Assert.Contains(attribute, setCookie, StringComparison.OrdinalIgnoreCase);
        }

        var value = setCookie.Split(';')[0].Split('=', 2)[1];
        var flow = await factory.WithDbAsync(db => db.Set<OAuthFlow>().AsNoTracking().SingleAsync(f => f.IntegrationId == connection.IntegrationId));
        Assert.Equal(OAuthBrowserBinding.Hash(value), flow.BrowserBindingHash);
        Assert.NotEqual(value, flow.BrowserBindingHash);
    }

    [Fact]
    public async Task AttackersAuthorizationUrl_OpenedInTheVictimsBrowser_IsRefusedWithSessionMismatch_AndAudited()
    {
        // The attacker starts a flow for their own tenant and sends the URL; the victim consents in a browser without the cookie.
        var attacker = await Connection.CreateAsync(factory, FakeProvider.Google);
        var initiated = await attacker.InitiateAsync();
        var redirect = await Connection.AuthorizeAtProviderAsync(initiated.GetProperty("authorizationUrl").GetString()!);

        var location = await Connection.CallbackAsync(factory, redirect, cookie: null);

        Assert.StartsWith("/api/v1/oauth/error?message=", location, StringComparison.Ordinal);
        Assert.Contains("code=" + Uri.EscapeDataString(OAuthService.SessionMismatchCode), location, StringComparison.Ordinal);
        var stored = await StoredAsync(attacker.IntegrationId);
        Assert.Null(stored.EncryptedAccessToken);
        Assert.Equal("pending", stored.Status);
        var audit = await factory.WithDbAsync(db => db.AuditLogs.AsNoTracking()
            .SingleAsync(a => a.TargetId == attacker.IntegrationId && a.Action == "oauth.callback.attempt.failed"));
        Assert.Equal("failure", audit.Outcome);
        Assert.Contains(OAuthService.SessionMismatchCode, audit.Details, StringComparison.Ordinal);
        // The flow is spent: the attacker cannot retry it with the right cookie.
        Assert.Equal(0, await factory.WithDbAsync(db => db.Set<OAuthFlow>().CountAsync(f => f.IntegrationId == attacker.IntegrationId)));
        Assert.StartsWith("/api/v1/oauth/error?message=", await Connection.CallbackAsync(factory, redirect, attacker.BrowserCookie), StringComparison.Ordinal);
        Assert.Null((await StoredAsync(attacker.IntegrationId)).EncryptedAccessToken);
    }

    [Fact]
    public async Task Callback_WithAnotherBrowsersBindingValue_IsRefused()
    {
        var connection = await Connection.CreateAsync(factory, FakeProvider.Dropbox);
        var initiated = await connection.InitiateAsync();
        var redirect = await Connection.AuthorizeAtProviderAsync(initiated.GetProperty("authorizationUrl").GetString()!);
        var forged = $"{OAuthBrowserBinding.CookieName(connection.IntegrationId)}={OAuthBrowserBinding.NewValue()}";

        var location = await Connection.CallbackAsync(factory, redirect, forged);

        Assert.Contains("code=" + Uri.EscapeDataString(OAuthService.SessionMismatchCode), location, StringComparison.Ordinal);
        Assert.Null((await StoredAsync(connection.IntegrationId)).EncryptedAccessToken);
    }

    [Fact]
    public async Task Callback_InTheBrowserThatStartedTheFlow_Connects_AndClearsTheCookie()
    {
        var connection = await Connection.CreateAsync(factory, FakeProvider.Dropbox);
        var initiated = await connection.InitiateAsync();
        var redirect = await Connection.AuthorizeAtProviderAsync(initiated.GetProperty("authorizationUrl").GetString()!);

        var response = await Connection.CallbackResponseAsync(factory, redirect, connection.BrowserCookie);

        Assert.StartsWith("/api/v1/oauth/success", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var cleared = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(OAuthBrowserBinding.CookieName(connection.IntegrationId) + "=;", cleared, StringComparison.Ordinal);
        Assert.Contains("max-age=0", cleared, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("active", (await StoredAsync(connection.IntegrationId)).Status);
    }

    [Fact]
    public async Task FloodOfAnonymousErrorCallbacks_IsCountedPerAddressAndMinute_NotAuditedEach()
    {
        var browser = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        // The superadmin first: making one is audited (superadmin.add).
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var auditsBefore = await AuditRowsAsync();
        var countedBefore = await CountedAsync("PROVIDER_ERROR");
        var failedBefore = (await admin.GetAsync("/api/v1/oauth/security/metrics?timeWindow=3600000").ReadDataAsync())
            .GetProperty("metrics").GetProperty("failedAttempts").GetInt32();

        for (var i = 0; i < 25; i++)
        {
            var response = await browser.GetAsync($"/api/v1/oauth/callback?error=access_denied&state=junk{i}");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/api/v1/oauth/error?message=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        Assert.Equal(auditsBefore, await AuditRowsAsync());
        Assert.Equal(countedBefore + 25, await CountedAsync("PROVIDER_ERROR"));
        // One row per address, minute and code: a minute boundary during the loop splits it in two at most.
        Assert.InRange(await factory.WithDbAsync(db => db.Set<OAuthCallbackFailure>().CountAsync(f => f.Code == "PROVIDER_ERROR")), 1, 2);
        var failedAfter = (await admin.GetAsync("/api/v1/oauth/security/metrics?timeWindow=3600000").ReadDataAsync())
            .GetProperty("metrics").GetProperty("failedAttempts").GetInt32();
        Assert.True(failedAfter >= failedBefore + 25, $"failedAttempts {failedBefore} → {failedAfter}");
    }

    [Fact]
    public async Task DeclinedConsent_OnARealFlow_IsAuditedOnItsOwn()
    {
        var connection = await Connection.CreateAsync(factory, FakeProvider.Dropbox);
        var state = (await connection.InitiateAsync()).GetProperty("state").GetString()!;

        var location = await Connection.CallbackAsync(factory,
            new Uri($"http://localhost/api/v1/oauth/callback?error=access_denied&state={Uri.EscapeDataString(state)}"), connection.BrowserCookie);

        Assert.Contains("code=PROVIDER_ERROR", location, StringComparison.Ordinal);
        var audit = await factory.WithDbAsync(db => db.AuditLogs.AsNoTracking()
            .SingleAsync(a => a.TargetId == connection.IntegrationId && a.Action == "oauth.callback.attempt.failed"));
        Assert.Contains("access_denied", audit.Details, StringComparison.Ordinal);
        Assert.Equal(0, await factory.WithDbAsync(db => db.Set<OAuthFlow>().CountAsync(f => f.IntegrationId == connection.IntegrationId)));
    }

    [Fact]
    public async Task TenantDelete_RevokesEachIntegrationsGrant_AndRecordsTheOutcomes()
    {
        var dropbox = await Connection.CreateAsync(factory, FakeProvider.Dropbox);
        Assert.StartsWith("/api/v1/oauth/success", await dropbox.ConnectAsync(factory), StringComparison.Ordinal);
        var googleId = await dropbox.Owner.CreateIntegrationAsync(dropbox.TenantId, factory.ProviderIds[FakeProvider.Google]);
        var google = new Connection(dropbox.Owner, dropbox.OwnerId, dropbox.TenantId, googleId, FakeProvider.Google);
        Assert.StartsWith("/api/v1/oauth/success", await google.ConnectAsync(factory), StringComparison.Ordinal);
        var dropboxRevokes = factory.Fake[FakeProvider.Dropbox].RevokeRequests;
        var googleRevokes = factory.Fake[FakeProvider.Google].RevokeRequests;

        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/tenants/{dropbox.TenantId}")).StatusCode);

        Assert.Equal(dropboxRevokes + 1, factory.Fake[FakeProvider.Dropbox].RevokeRequests);
        Assert.Equal(googleRevokes + 1, factory.Fake[FakeProvider.Google].RevokeRequests);
        var entry = await factory.WithDbAsync(db => db.AuditLogs.AsNoTracking().SingleAsync(a => a.Action == "tenant.delete" && a.TargetId == dropbox.TenantId));
        using var details = JsonDocument.Parse(entry.Details!);
        var outcomes = details.RootElement.GetProperty("revocations").EnumerateArray()
            .ToDictionary(r => r.GetProperty("integrationId").GetString()!, r => r.GetProperty("outcome").GetString());
        Assert.Equal("revoked", outcomes[dropbox.IntegrationId]);
        Assert.Equal("revoked", outcomes[googleId]);
        Assert.Equal(0, await factory.WithDbAsync(db => db.Set<CloudIntegration>().CountAsync(i => i.TenantId == dropbox.TenantId)));
    }
}
