using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mwap.Api.IntegrationTests.Infrastructure.Http;

/// <summary>A host with an allow-listed origin, a seeded superadmin, and one route that fails unexpectedly.</summary>
public sealed class PipelineApiFactory : MwapApiFactory
{
    public const string Origin = "https://app.example.com";
    public const string SeededAdmin = "auth0|seeded-admin";
    public const string InternalDetail = "Host=db.internal;Password=hunter2";

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Cors:AllowedOrigins:0"] = Origin,
        ["Auth:SuperAdmins:0"] = SeededAdmin,
        ["Serilog:MinimumLevel:Default"] = "Information",
    };

    protected override void ConfigureTestServices(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new ThrowingRouteFilter()));

    // Appended after the whole pipeline: reached only by a request no endpoint handled, so it fails inside the error handler's reach.
    private sealed class ThrowingRouteFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((HttpContext context, RequestDelegate _) => context.Request.Path == "/test/boom"
                ? throw new InvalidOperationException("Connection failed: " + InternalDetail)
                : Task.CompletedTask);
        };
    }
}

/// <summary>
/// Serilog's ILoggerFactory writes through the static <c>Log.Logger</c>, which every host replaces when it starts and
/// silences when it stops; a class that asserts on captured logs must therefore run while no other host starts or stops.
/// </summary>
[CollectionDefinition(nameof(CapturedLogsCollection), DisableParallelization = true)]
public sealed class CapturedLogsCollection;

[Collection(nameof(CapturedLogsCollection))]
public sealed class PipelineTests(PipelineApiFactory factory) : IClassFixture<PipelineApiFactory>
{
    [Fact]
    public async Task UnexpectedException_Returns500WithoutInternals_AndIsLoggedOnceWithTraceId()
    {
        var response = await factory.CreateClientFor(TestUsers.NewSubject()).GetAsync("/test/boom");

        var error = await response.AssertErrorAsync(HttpStatusCode.InternalServerError, "server/internal-error");
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        var traceId = error.GetProperty("traceId").GetString()!;
        var logged = factory.Logs.Entries.Where(e => e.Exception is InvalidOperationException && e.AllText.Contains(traceId, StringComparison.Ordinal)).ToList();
        Assert.Single(logged);
        Assert.Equal(LogLevel.Error, logged[0].Level);
        Assert.Single(factory.Logs.Entries, e => e.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task Logs_NeverContainTheBearerTokenOrTheRequestBody()
    {
        var token = factory.Issuer.CreateToken(TestUsers.NewSubject());
        var client = factory.CreateClientWithToken(token);
        var secretName = "Zebra " + Guid.NewGuid().ToString("N")[..10];
        await client.PostJsonAsync("/api/v1/tenants", new { name = secretName, description = "body-marker-xyz" }).ReadDataAsync(HttpStatusCode.Created);
        await client.SendRawAsync(HttpMethod.Post, "/api/v1/tenants", """{"name": "body-marker-abc", """);

        Assert.NotEmpty(factory.Logs.Entries);
        Assert.DoesNotContain(factory.Logs.Entries, e => e.AllText.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Entries, e => e.AllText.Contains("body-marker", StringComparison.Ordinal));
        Assert.Contains(factory.Logs.Entries, e => e.Message.Contains("/api/v1/tenants", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecurityHeaders_AreSetOnApiResponses()
    {
        var response = await factory.CreateClientFor(TestUsers.NewSubject()).GetAsync("/api/v1/users/me/roles");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"));
        Assert.False(response.Headers.Contains("X-Powered-By"));
    }

    [Fact]
    public async Task Cors_AllowsListedOriginWithCredentials_AndIgnoresOthers()
    {
        var client = factory.CreateClient();
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/tenants");
        preflight.Headers.Add("Origin", PipelineApiFactory.Origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        var allowed = await client.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(PipelineApiFactory.Origin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", allowed.Headers.GetValues("Access-Control-Allow-Credentials").Single());

        var foreign = new HttpRequestMessage(HttpMethod.Options, "/api/v1/tenants");
        foreign.Headers.Add("Origin", "https://evil.example.com");
        foreign.Headers.Add("Access-Control-Request-Method", "POST");
        var refused = await client.SendAsync(foreign);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task RateLimitHeaders_AreOnEveryResponse()
    {
        var response = await factory.CreateClientFor(TestUsers.NewSubject()).GetAsync("/api/v1/users/me/roles");
        Assert.Equal("100000", response.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("99999", response.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.True(long.Parse(response.Headers.GetValues("X-RateLimit-Reset").Single(), System.Globalization.CultureInfo.InvariantCulture)
            > DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1);
    }

    [Fact]
    public async Task SuperAdmins_AreSeededFromConfiguration()
    {
        var roles = await factory.CreateClientFor(PipelineApiFactory.SeededAdmin).GetAsync("/api/v1/users/me/roles").ReadDataAsync();
        Assert.True(roles.GetProperty("isSuperAdmin").GetBoolean());
    }

    [Fact]
    public async Task WrongMethodOnKnownRoute_Returns404RouteNotFound()
    {
        var response = await factory.CreateClientFor(TestUsers.NewSubject()).PutAsync("/api/v1/users/me/roles", null);
        await response.AssertErrorAsync(HttpStatusCode.NotFound, "route/not-found");
    }

    [Fact]
    public async Task OpenApi_ServesJsonAndYaml_AndDocsUi()
    {
        var client = factory.CreateClient();
        var json = await client.GetAsync("/api/v1/openapi");
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Contains("\"/api/v1/tenants\"", await json.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var yaml = await client.GetStringAsync("/api/v1/openapi?format=yaml");
        Assert.StartsWith("openapi:", yaml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs")).StatusCode);
    }
}

public sealed class RateLimitedApiFactory : MwapApiFactory
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["RateLimiting:PermitLimit"] = "3",
        ["RateLimiting:WindowSeconds"] = "3600",
    };
}

public sealed class RateLimitingTests(RateLimitedApiFactory factory) : IClassFixture<RateLimitedApiFactory>
{
    [Fact]
    public async Task OverTheLimit_Returns429WithRetryAfter_PerUser()
    {
        var client = factory.CreateClientFor(TestUsers.NewSubject());
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/users/me/roles")).StatusCode);
        }

        var limited = await client.GetAsync("/api/v1/users/me/roles");
        await limited.AssertErrorAsync(HttpStatusCode.TooManyRequests, "rate-limit/exceeded");
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("0", limited.Headers.GetValues("X-RateLimit-Remaining").Single());

        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClientFor(TestUsers.NewSubject()).GetAsync("/api/v1/users/me/roles")).StatusCode);
    }
}

/// <summary>The database is unreachable (PostgreSQL on a closed port): readiness says so and the API answers 503.</summary>
public sealed class DatabaseDownApiFactory : MwapApiFactory
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Postgres",
        ["ConnectionStrings:Mwap"] = "Host=127.0.0.1;Port=9;Database=mwap;Username=mwap;Timeout=3",
        ["Database:MigrateOnStartup"] = "false",
    };
}

public sealed class DatabaseDownTests(DatabaseDownApiFactory factory) : IClassFixture<DatabaseDownApiFactory>
{
    [Fact]
    public async Task Ready_Returns503_LiveAndHealthStay200()
    {
        var client = factory.CreateClient();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"readiness took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task ApiCall_Returns503Envelope()
    {
        var response = await factory.CreateClientFor(TestUsers.NewSubject()).GetAsync("/api/v1/users/me/roles");
        await response.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "server/unavailable");
        Assert.True(response.Headers.Contains("Retry-After"));
    }
}
