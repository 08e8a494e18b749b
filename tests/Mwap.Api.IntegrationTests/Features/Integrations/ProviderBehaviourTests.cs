using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Integrations.Tokens;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;

namespace Mwap.Api.IntegrationTests.Features.Integrations;

/// <summary>How the clients and the token service follow each provider's rules (fact sheet), through the fakes.</summary>
public sealed class ProviderBehaviourTests(ConnectFlowApiFactory factory) : IClassFixture<ConnectFlowApiFactory>
{
    private async Task<Connection> ConnectedAsync(FakeProvider provider)
    {
        var connection = await Connection.CreateAsync(factory, provider);
        Assert.StartsWith("/api/v1/oauth/success", await connection.ConnectAsync(factory), StringComparison.Ordinal);
        return connection;
    }

    private Task<CloudIntegration> StoredAsync(string id) =>
        factory.WithDbAsync(db => db.Set<CloudIntegration>().AsNoTracking().SingleAsync(i => i.Id == id));

    [Fact]
    public async Task InvalidGrant_MarksTheIntegrationExpired_AndStopsRetries()
    {
        var connection = await ConnectedAsync(FakeProvider.Dropbox);
        factory.Fake.Dropbox.RevokeAllTokens();

        var response = await connection.Owner.PostAsync(connection.IntegrationUrl + "/refresh-token", null);
        await response.AssertErrorAsync(HttpStatusCode.Conflict, "oauth/reconnect-required");
        var stored = await StoredAsync(connection.IntegrationId);
        Assert.Equal("expired", stored.Status);
        Assert.Equal("unhealthy", stored.Health.Status);

        // Force it into the refresh window: the job must still leave it alone.
        await factory.WithDbAsync(db => db.Set<CloudIntegration>().Where(i => i.Id == connection.IntegrationId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.TokenExpiresAt, DateTime.UtcNow.AddMinutes(1))));
        var before = factory.Fake.Dropbox.RefreshRequests;
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TokenRefreshJob>().RunAsync(CancellationToken.None);
        Assert.Equal(before, factory.Fake.Dropbox.RefreshRequests);
    }

    [Fact]
    public async Task Throttling_WithRetryAfter_IsWaitedOutAndRetried()
    {
        var connection = await ConnectedAsync(FakeProvider.Microsoft);
        var calls = factory.Fake.Microsoft.ApiRequestCount("/v1.0/me");
        factory.Fake.Microsoft.EnqueueThrottle("/v1.0/me", retryAfterSeconds: 1);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var health = await connection.Owner.GetAsync(connection.IntegrationUrl + "/health").ReadDataAsync();

        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"Retry-After was not honoured ({clock.Elapsed})");
        Assert.Equal(calls + 2, factory.Fake.Microsoft.ApiRequestCount("/v1.0/me"));
    }

    [Fact]
    public async Task DriveRateLimit403_IsRetried()
    {
        var connection = await ConnectedAsync(FakeProvider.Google);
        factory.Fake.Google.EnqueueFault("/drive/v3/about", 403,
            """{"error":{"code":403,"message":"User Rate Limit Exceeded","errors":[{"domain":"usageLimits","reason":"userRateLimitExceeded","message":"User Rate Limit Exceeded"}]}}""");
        var health = await connection.Owner.GetAsync(connection.IntegrationUrl + "/health").ReadDataAsync();
        Assert.Equal("healthy", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A401MidCall_TriggersExactlyOneRefresh_ThenSucceeds()
    {
        var connection = await ConnectedAsync(FakeProvider.Google);
        factory.Fake.Google.ExpireAccessTokens();
        var before = factory.Fake.Google.RefreshRequests;

        var health = await connection.Owner.GetAsync(connection.IntegrationUrl + "/health").ReadDataAsync();

        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal(before + 1, factory.Fake.Google.RefreshRequests);
    }

    [Fact]
    public async Task TwentyParallelRequestsOnAnExpiredToken_CauseExactlyOneRefresh()
    {
        var connection = await ConnectedAsync(FakeProvider.Microsoft);
        factory.Fake.Microsoft.ExpireAccessTokens();
        var before = factory.Fake.Microsoft.RefreshRequests;

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => connection.Owner.GetAsync(connection.IntegrationUrl + "/health")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(before + 1, factory.Fake.Microsoft.RefreshRequests);
        var stored = await StoredAsync(connection.IntegrationId);
        Assert.Null(stored.RefreshLeaseUntil);
    }

    [Fact]
    public async Task FolderBrowsing_ListsFoldersWithMwapsShape()
    {
        var connection = await ConnectedAsync(FakeProvider.Dropbox);
        var name = "Shoots-" + Guid.NewGuid().ToString("N")[..6];
        factory.Fake.Dropbox.Files.AddFolder("/" + name);
        var response = await connection.Owner.GetAsync(connection.IntegrationUrl + "/folders?path=/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.True(root.GetProperty("success").GetBoolean());
        Assert.Contains(root.GetProperty("data").EnumerateArray(), f => f.GetProperty("name").GetString() == name && f.GetProperty("isFolder").GetBoolean());
        Assert.True(root.GetProperty("capabilities").GetProperty("supportsPath").GetBoolean());
        Assert.True(root.TryGetProperty("hasMore", out _));

        await (await connection.Owner.GetAsync(connection.IntegrationUrl + "/folders?path=/../etc")).AssertErrorAsync(HttpStatusCode.BadRequest, "validation/invalid-input");
        await (await connection.Owner.GetAsync(connection.IntegrationUrl + "/folders?folderId=abc")).AssertErrorAsync(HttpStatusCode.BadRequest, "capability/not-supported");
    }

    [Fact]
    public async Task ConnectionTest_UsesMwapsOwnShape()
    {
        var connection = await ConnectedAsync(FakeProvider.Google);
        var response = await connection.Owner.PostAsync(connection.IntegrationUrl + "/test", null);
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("success").GetBoolean());
        Assert.True(json.RootElement.GetProperty("details").GetProperty("tokenValid").GetBoolean());
        Assert.True(json.RootElement.GetProperty("details").GetProperty("apiReachable").GetBoolean());
    }

    [Fact]
    public async Task ConnectionTest_IsLimitedToTenPerMinutePerIntegration()
    {
        var connection = await ConnectedAsync(FakeProvider.Dropbox);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await connection.Owner.PostAsync(connection.IntegrationUrl + "/test", null)).StatusCode);
        }

        var limited = await connection.Owner.PostAsync(connection.IntegrationUrl + "/test", null);
        await limited.AssertErrorAsync(HttpStatusCode.TooManyRequests, "rate-limit/exceeded");
        Assert.True(limited.Headers.Contains("Retry-After"));
        Assert.Equal("10;w=60", limited.Headers.GetValues("RateLimit-Policy").Single());
    }

    [Fact]
    public async Task SecurityMonitoring_IsSuperAdminOnly_AndCountsFromTheAuditLog()
    {
        await ConnectedAsync(FakeProvider.Dropbox);
        var owner = factory.CreateClientFor(TestUsers.NewSubject());
        await (await owner.GetAsync("/api/v1/oauth/security/metrics")).AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");

        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var metrics = await admin.GetAsync("/api/v1/oauth/security/metrics?timeWindow=3600000").ReadDataAsync();
        var expected = await factory.WithDbAsync(db => db.AuditLogs.CountAsync(a => a.Action == "oauth.callback.success" && a.CreatedAt >= DateTime.UtcNow.AddHours(-1)));
        Assert.Equal(expected, metrics.GetProperty("metrics").GetProperty("successfulAttempts").GetInt32());
        Assert.True(expected >= 1);
        foreach (var path in new[] { "alerts", "patterns", "report", "validate/data-exposure", "validate/attack-vectors" })
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/oauth/security/" + path)).StatusCode);
        }

        var exposure = await admin.GetAsync("/api/v1/oauth/security/validate/data-exposure").ReadDataAsync();
        Assert.True(exposure.GetProperty("validation").GetProperty("isSecure").GetBoolean());
    }
}
