using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mwap.Api.IntegrationTests.Infrastructure.Http;

/// <summary>
/// The test server has no TCP peer; this filter, ahead of the whole pipeline, sets the connection's remote address from
/// <c>X-Test-Peer</c>, so a test can play the load balancer (or anyone else) connecting to the server.
/// </summary>
internal sealed class TestPeerFilter : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((HttpContext context, RequestDelegate following) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var peer))
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
            }

            return following(context);
        });
        next(app);
    };
}

/// <summary>Behind a trusted proxy at 10.0.0.5, with tight limits: 3 requests per address, 4 OAuth page requests per minute.</summary>
public class BehindProxyApiFactory : MwapApiFactory
{
    public const string Proxy = "10.0.0.5";
    public const string MetricsToken = "metrics-token-for-limits";

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Http:KnownProxies:0"] = KnownProxy,
        ["RateLimiting:PermitLimit"] = "3",
        ["RateLimiting:WindowSeconds"] = "3600",
        ["RateLimiting:OAuthPermitLimit"] = "4",
        ["Metrics:Enabled"] = "true",
        ["Metrics:Token"] = MetricsToken,
    };

    protected virtual string? KnownProxy => Proxy;

    protected override void ConfigureTestServices(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new TestPeerFilter()));

    public static HttpRequestMessage Request(string url, string peer, string? forwardedFor = null, string? forwardedProto = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(TestPeerFilter.Header, peer);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        return request;
    }
}

/// <summary>The same host with no proxy configured (the default).</summary>
public sealed class NoProxyApiFactory : BehindProxyApiFactory
{
    protected override string? KnownProxy => null;
}

public sealed class BehindProxyTests(BehindProxyApiFactory factory) : IClassFixture<BehindProxyApiFactory>
{
    private HttpClient Anonymous() => factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Fact]
    public async Task ForwardedFor_FromTheKnownProxy_IsTheClient_InTheAuditLog()
    {
        var subject = TestUsers.NewSubject("owner");
        var client = factory.CreateClientFor(subject);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants") { Content = System.Net.Http.Json.JsonContent.Create(new { name = TestUsers.UniqueName() }) };
        request.Headers.Add(TestPeerFilter.Header, BehindProxyApiFactory.Proxy);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(request)).StatusCode);

        var ip = await factory.WithDbAsync(db => db.AuditLogs.Where(a => a.ActorId == subject && a.Action == "tenant.create").Select(a => a.Ip).SingleAsync());
        Assert.Equal("203.0.113.7", ip);
    }

    [Fact]
    public async Task ForwardedHeaders_FromAnUnknownPeer_AreIgnored()
    {
        var subject = TestUsers.NewSubject("owner");
        var client = factory.CreateClientFor(subject);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants") { Content = System.Net.Http.Json.JsonContent.Create(new { name = TestUsers.UniqueName() }) };
        request.Headers.Add(TestPeerFilter.Header, "198.51.100.9");
        request.Headers.Add("X-Forwarded-For", "203.0.113.50");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        var ip = await factory.WithDbAsync(db => db.AuditLogs.Where(a => a.ActorId == subject && a.Action == "tenant.create").Select(a => a.Ip).SingleAsync());
        Assert.Equal("198.51.100.9", ip);
    }

    [Fact]
    public async Task ForwardedProtoHttps_FromTheKnownProxy_TurnsOnHsts()
    {
        var response = await Anonymous().SendAsync(BehindProxyApiFactory.Request("/health", BehindProxyApiFactory.Proxy, "203.0.113.60", "https"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnonymousCallersBehindTheProxy_EachHaveTheirOwnBucket()
    {
        var client = Anonymous();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(BehindProxyApiFactory.Request("/health", BehindProxyApiFactory.Proxy, "203.0.113.70"))).StatusCode);
        }

        await (await client.SendAsync(BehindProxyApiFactory.Request("/health", BehindProxyApiFactory.Proxy, "203.0.113.70"))).AssertErrorAsync(HttpStatusCode.TooManyRequests, "rate-limit/exceeded");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(BehindProxyApiFactory.Request("/health", BehindProxyApiFactory.Proxy, "203.0.113.71"))).StatusCode);
    }

    [Theory]
    [InlineData("/health", "192.0.2.11")]
    [InlineData("/health/live", "192.0.2.12")]
    [InlineData("/health/ready", "192.0.2.13")]
    [InlineData("/metrics", "192.0.2.14")]
    public async Task HealthAndMetrics_AreRateLimited(string path, string peer)
    {
        var client = Anonymous();
        HttpRequestMessage Next()
        {
            var request = BehindProxyApiFactory.Request(path, peer);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", BehindProxyApiFactory.MetricsToken);
            return request;
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Next())).StatusCode);
        }

        var limited = await client.SendAsync(Next());
        await limited.AssertErrorAsync(HttpStatusCode.TooManyRequests, "rate-limit/exceeded");
        Assert.True(limited.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task OAuthPages_HaveTheirOwnStricterBucket_ThatGeneralTrafficCannotExhaust()
    {
        var client = Anonymous();
        const string flooder = "192.0.2.20";
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await client.SendAsync(BehindProxyApiFactory.Request("/api/v1/oauth/callback?error=x", flooder))).StatusCode);
        }

        await (await client.SendAsync(BehindProxyApiFactory.Request("/api/v1/oauth/callback?error=x", flooder))).AssertErrorAsync(HttpStatusCode.TooManyRequests, "rate-limit/exceeded");
        await (await client.SendAsync(BehindProxyApiFactory.Request("/oauth/error?message=x", flooder))).AssertErrorAsync(HttpStatusCode.TooManyRequests, "rate-limit/exceeded");
        // The address's general allowance is untouched by the OAuth flood…
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(BehindProxyApiFactory.Request("/health", flooder))).StatusCode);

        // …and an address that used up its general allowance can still complete a callback.
        const string busy = "192.0.2.21";
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(BehindProxyApiFactory.Request("/health", busy))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SendAsync(BehindProxyApiFactory.Request("/health", busy))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SendAsync(BehindProxyApiFactory.Request("/api/v1/oauth/callback?error=x", busy))).StatusCode);
    }
}

public sealed class NoProxyTests(NoProxyApiFactory factory) : IClassFixture<NoProxyApiFactory>
{
    [Fact]
    public async Task WithNoKnownProxies_ForwardedHeadersAreIgnoredFromEveryone()
    {
        var subject = TestUsers.NewSubject("owner");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants") { Content = System.Net.Http.Json.JsonContent.Create(new { name = TestUsers.UniqueName() }) };
        request.Headers.Add(TestPeerFilter.Header, BehindProxyApiFactory.Proxy);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await factory.CreateClientFor(subject).SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        var ip = await factory.WithDbAsync(db => db.AuditLogs.Where(a => a.ActorId == subject && a.Action == "tenant.create").Select(a => a.Ip).SingleAsync());
        Assert.Equal(BehindProxyApiFactory.Proxy, ip);
    }
}
