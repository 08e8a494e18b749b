using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mwap.Api.Infrastructure.Http;

namespace Mwap.Api.Tests.Infrastructure.Http;

public sealed class UserRateLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 10, TimeSpan.Zero));

    private UserRateLimiter Limiter(int limit = 3, int window = 60) =>
        new(_time, Options.Create(new RateLimitingOptions { PermitLimit = limit, WindowSeconds = window }));

    [Fact]
    public void AllowsUpToTheLimit_ThenRefuses_UntilTheWindowEnds()
    {
        var limiter = Limiter();
        Assert.Equal([2, 1, 0], Enumerable.Range(0, 3).Select(_ => limiter.Acquire("u:a").Remaining));
        var refused = limiter.Acquire("u:a");
        Assert.False(refused.Allowed);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 12, 1, 10, TimeSpan.Zero), refused.Reset);

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(limiter.Acquire("u:a").Allowed);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.Acquire("u:a").Allowed);
    }

    [Fact]
    public void KeysAreIndependent()
    {
        var limiter = Limiter(limit: 1);
        Assert.True(limiter.Acquire("u:a").Allowed);
        Assert.True(limiter.Acquire("u:b").Allowed);
        Assert.False(limiter.Acquire("u:a").Allowed);
    }
}
