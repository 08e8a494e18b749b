using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Integrations.Tokens;
using Mwap.Api.Features.Tenants;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;

namespace Mwap.Api.IntegrationTests.Features.Integrations;

/// <summary>Its own database: the refresh job looks at every integration there is.</summary>
public sealed class TokenLifecycleApiFactory : ConnectFlowApiFactory;

/// <summary>A second server instance on the first one's database and fakes.</summary>
public sealed class SecondInstanceFactory : ConnectFlowApiFactory
{
    public SecondInstanceFactory(ConnectFlowApiFactory first)
    {
        SharedDatabase = first.Database;
        SharedFake = first.Fake;
    }
}

/// <summary>The refresh job and the single-refresh guarantee across instances.</summary>
public sealed class TokenLifecycleTests(TokenLifecycleApiFactory factory) : IClassFixture<TokenLifecycleApiFactory>
{
    [Fact]
    public async Task RefreshJob_Over1000Integrations_RefreshesExactlyThoseInsideTheWindow()
    {
        var fake = factory.Fake.Dropbox;
        var providerId = factory.ProviderIds[FakeProvider.Dropbox];
        var now = DateTime.UtcNow;
        var inside = new HashSet<string>();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MwapDbContext>();
            var tokens = scope.ServiceProvider.GetRequiredService<TokenService>();
            for (var i = 0; i < 1000; i++)
            {
                var tenant = new Tenant(ObjectId.NewId(), $"auth0|bulk-{Guid.NewGuid():N}", $"Bulk {Guid.NewGuid():N}", null, new TenantSettings());
                var integration = new CloudIntegration { Id = ObjectId.NewId(), TenantId = tenant.Id, ProviderId = providerId, CreatedBy = tenant.OwnerId };
                var issued = fake.IssueTokens();
                tokens.Store(integration, new Mwap.Api.Features.Integrations.Providers.TokenSet(issued.AccessToken, issued.RefreshToken, 3600, issued.Scopes));
                // Every other one expires inside the 15-minute window; all were refreshed recently (not idle).
                integration.TokenExpiresAt = i % 2 == 0 ? now.AddMinutes(5) : now.AddHours(3);
                integration.LastRefreshedAt = now.AddMinutes(-1);
                if (i % 2 == 0)
                {
                    inside.Add(integration.Id);
                }

                db.AddRange(tenant, integration);
            }

            await db.SaveChangesAsync();
        }

        var before = fake.RefreshRequests;
        TokenRefreshJob.Result result;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            result = await scope.ServiceProvider.GetRequiredService<TokenRefreshJob>().RunAsync(CancellationToken.None);
        }

        Assert.Equal(500, result.Candidates);
        Assert.Equal(500, result.Refreshed);
        Assert.Equal(before + 500, fake.RefreshRequests);
        var refreshed = await factory.WithDbAsync(db => db.Set<CloudIntegration>().AsNoTracking()
            .Where(i => i.ProviderId == providerId && i.LastRefreshedAt > now).Select(i => i.Id).ToListAsync());
        Assert.True(inside.SetEquals(refreshed));

        // Idempotent: a second run finds nothing left in the window.
        await using var again = factory.Services.CreateAsyncScope();
        Assert.Equal(0, (await again.ServiceProvider.GetRequiredService<TokenRefreshJob>().RunAsync(CancellationToken.None)).Candidates);
    }

    [Fact]
    public async Task TwoInstancesOnOneDatabase_NeverRefreshTheSameIntegrationTwice()
    {
        await using var second = new SecondInstanceFactory(factory);
        await second.InitializeAsync();
        var connection = await Connection.CreateAsync(factory, FakeProvider.Microsoft);
        Assert.StartsWith("/api/v1/oauth/success", await connection.ConnectAsync(factory), StringComparison.Ordinal);
        factory.Fake.Microsoft.ExpireAccessTokens();
        var before = factory.Fake.Microsoft.RefreshRequests;

        var onSecond = second.CreateClientFor(connection.OwnerId);
        var requests = Enumerable.Range(0, 16).Select(i => (i % 2 == 0 ? connection.Owner : onSecond).GetAsync(connection.IntegrationUrl + "/health"));
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal(System.Net.HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(before + 1, factory.Fake.Microsoft.RefreshRequests);
    }
}
