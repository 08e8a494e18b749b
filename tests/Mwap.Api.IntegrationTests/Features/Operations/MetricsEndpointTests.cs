using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.Operations;

/// <summary>The scrape endpoint on the main port, behind a bearer token.</summary>
public sealed class MetricsTokenApiFactory : MwapApiFactory
{
    public const string Token = "scrape-token-0123456789abcdef";

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Metrics:Enabled"] = "true",
        ["Metrics:Token"] = Token,
    };
}

/// <summary>
/// The scrape endpoint on its own port. The test server has no sockets, so a startup filter plays the listener: the
/// header <c>X-Test-Local-Port</c> becomes the connection's local port.
/// </summary>
public sealed class MetricsPortApiFactory : MwapApiFactory
{
    public const int Port = 19464;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Metrics:Enabled"] = "true",
        ["Metrics:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    protected override void ConfigureTestServices(IWebHostBuilder builder) =>
        // First in the list, so it runs before the server's own filters (which check the port).
        builder.ConfigureServices(services => services.Insert(0, ServiceDescriptor.Transient<IStartupFilter, LocalPortFromHeader>()));

    private sealed class LocalPortFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (int.TryParse(context.Request.Headers["X-Test-Local-Port"], out var port))
                {
                    context.Connection.LocalPort = port;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

public sealed class MetricsOffTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    [Fact]
    public async Task Metrics_OffByDefault_Returns404()
    {
        var anonymous = await factory.CreateClient().GetAsync("/metrics");
        var signedIn = await factory.CreateClientFor(TestUsers.NewSubject()).GetAsync("/metrics");

        await anonymous.AssertErrorAsync(HttpStatusCode.NotFound, "route/not-found");
        Assert.Equal(HttpStatusCode.NotFound, signedIn.StatusCode);
    }
}

public sealed class MetricsTokenTests(MetricsTokenApiFactory factory) : IClassFixture<MetricsTokenApiFactory>
{
    private HttpClient ScrapeClient(string? token)
    {
        var client = factory.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    [Fact]
    public async Task Scrape_WithToken_ReturnsPrometheusTextWithMwapMetrics()
    {
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/health")).StatusCode);

        var response = await ScrapeClient(MetricsTokenApiFactory.Token).GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("mwap_http_requests", body, StringComparison.Ordinal);
        Assert.Contains("route=\"/health\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token-0123456789abcdef")]
    [InlineData("scrape-token-0123456789abcde")]
    public async Task Scrape_WithoutTheToken_Returns401(string? token)
    {
        var response = await ScrapeClient(token).GetAsync("/metrics");

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/unauthorized");
        Assert.DoesNotContain("mwap_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiRoutes_StillNeedAJwt_WhenTheMetricsTokenIsSent()
    {
        var response = await ScrapeClient(MetricsTokenApiFactory.Token).GetAsync("/api/v1/users/me/roles");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

public sealed class MetricsPortTests(MetricsPortApiFactory factory) : IClassFixture<MetricsPortApiFactory>
{
    private static HttpRequestMessage Get(string path, int? localPort)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (localPort is not null)
        {
            request.Headers.Add("X-Test-Local-Port", localPort.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return request;
    }

    [Fact]
    public async Task Scrape_OnTheMetricsPort_Returns200WithoutAToken()
    {
        var client = factory.CreateClient();
        await client.GetAsync("/health");

        var response = await client.SendAsync(Get("/metrics", MetricsPortApiFactory.Port));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("mwap_http_requests", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_OnTheMainPort_Returns404()
    {
        var response = await factory.CreateClient().SendAsync(Get("/metrics", 8080));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task OtherRoutes_OnTheMetricsPort_Return404()
    {
        var response = await factory.CreateClient().SendAsync(Get("/health", MetricsPortApiFactory.Port));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
