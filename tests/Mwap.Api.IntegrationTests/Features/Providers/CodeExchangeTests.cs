using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;

namespace Mwap.Api.IntegrationTests.Features.Providers;

/// <summary>Issue 12 item 7: an authorization code is single-use, so a lost exchange answer is never retried.</summary>
public sealed class CodeExchangeTests(ConnectFlowApiFactory factory) : IClassFixture<ConnectFlowApiFactory>
{
    [Theory]
    [InlineData(FakeProvider.Google)]
    [InlineData(FakeProvider.Microsoft)]
    public async Task LostExchangeAnswer_IsNotRetried_TheCallbackAsksToStartAgain_AndAgainWorks(FakeProvider provider)
    {
        var fake = factory.Fake[provider];
        var connection = await Connection.CreateAsync(factory, provider);
        fake.LoseNextCodeExchangeAnswer();
        var before = fake.TokenRequests;

        var location = await connection.ConnectAsync(factory);

        Assert.Equal(before + 1, fake.TokenRequests);
        Assert.StartsWith("/api/v1/oauth/error?", location, StringComparison.Ordinal);
        Assert.Contains("code=PROVIDER_UNAVAILABLE", location, StringComparison.Ordinal);

        Assert.StartsWith("/api/v1/oauth/success", await connection.ConnectAsync(factory), StringComparison.Ordinal);
    }
}
