using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;
using Mwap.Api.Infrastructure.Caching;

namespace Mwap.Api.Infrastructure.Http;

/// <summary>Per-user request limits (<c>RateLimiting:*</c>).</summary>
internal sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>Requests allowed per window for one user (by token subject) or, without a token, one client address.</summary>
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 600;

    /// <summary>Window length in seconds.</summary>
    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 60;

    /// <summary>
    /// Requests per minute one client address may make to the anonymous OAuth routes (callback, success and error pages),
    /// counted in a bucket of their own so a flood of them neither eats the address's general allowance nor is limited only by it.
    /// </summary>
    [Range(1, 1_000_000)]
    public int OAuthPermitLimit { get; set; } = 30;
}

/// <summary>
/// Fixed-window limiter keyed by user (each key's window opens with its first request). Unlike ASP.NET's partitioned limiter it can tell the caller how much of
/// the window is left, which MWAP clients read from <c>X-RateLimit-*</c> on every response.
/// State is per instance (in memory) unless Redis is configured: then the counters live in Redis and the limit holds
/// across every instance, with this instance's own count as the fallback while Redis is unreachable.
/// </summary>
internal sealed class UserRateLimiter(TimeProvider time, IOptions<RateLimitingOptions> options, RedisRateLimitStore? shared = null)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    /// <summary>The global per-user limit (<c>RateLimiting:*</c>).</summary>
    public (bool Allowed, int Limit, int Remaining, DateTimeOffset Reset) Acquire(string key) =>
        Acquire(key, options.Value.PermitLimit, TimeSpan.FromSeconds(options.Value.WindowSeconds));

    /// <summary>A limit of its own for <paramref name="key"/> (e.g. MWAP's 10 connection tests per minute per integration).</summary>
    public (bool Allowed, int Limit, int Remaining, DateTimeOffset Reset) Acquire(string key, int limit, TimeSpan length)
    {
        // Each key's window starts at its first request, so a burst is never split across two windows.
        var now = time.GetUtcNow();
        Sweep(now);
        var window = _windows.AddOrUpdate(key,
            _ => new Window(now + length, 1),
            (_, w) => now < w.End ? w with { Count = w.Count + 1 } : new Window(now + length, 1));
        return (window.Count <= limit, limit, Math.Max(0, limit - window.Count), window.End);
    }

    /// <summary>The global per-user limit, counted in Redis when configured.</summary>
    public Task<(bool Allowed, int Limit, int Remaining, DateTimeOffset Reset)> AcquireAsync(string key) =>
        AcquireAsync(key, options.Value.PermitLimit, TimeSpan.FromSeconds(options.Value.WindowSeconds));

    /// <summary>A limit of its own for <paramref name="key"/>, counted in Redis when configured.</summary>
    public async Task<(bool Allowed, int Limit, int Remaining, DateTimeOffset Reset)> AcquireAsync(string key, int limit, TimeSpan length)
    {
        if (shared is not null && await shared.IncrementAsync(key, length) is var (count, untilReset))
        {
            return (count <= limit, limit, (int)Math.Max(0, limit - count), time.GetUtcNow() + untilReset);
        }

        return Acquire(key, limit, length);
    }

    // Now and then drop finished windows so the dictionary holds only callers of current windows.
    private void Sweep(DateTimeOffset now)
    {
        var next = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextSweepTicks, now.UtcTicks + TimeSpan.TicksPerMinute, next) != next)
        {
            return;
        }

        foreach (var (key, window) in _windows)
        {
            if (window.End <= now)
            {
                _windows.TryRemove(new KeyValuePair<string, Window>(key, window));
            }
        }
    }

    private sealed record Window(DateTimeOffset End, int Count);
}

internal static class RateLimitingMiddleware
{
    /// <summary>
    /// An extra limit on one endpoint, keyed by a route value (MWAP: connection tests 10/min per integration, folder
    /// browsing 60/min per tenant and integration). Answers 429 in the envelope with <c>Retry-After</c>.
    /// </summary>
    public static TBuilder WithRouteLimit<TBuilder>(this TBuilder builder, string name, int limit, int windowSeconds, string message, params string[] routeValues)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var key = name + ":" + string.Join(':', routeValues.Select(v => (http.Request.RouteValues[v] as string)?.ToLowerInvariant()));
            var (allowed, max, remaining, reset) = await http.RequestServices.GetRequiredService<UserRateLimiter>().AcquireAsync(key, limit, TimeSpan.FromSeconds(windowSeconds));
            var seconds = Math.Max(1, (int)Math.Ceiling((reset - http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()).TotalSeconds));
            http.Response.Headers["RateLimit-Policy"] = $"{max};w={windowSeconds}";
            http.Response.Headers["RateLimit-Limit"] = max.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["RateLimit-Reset"] = seconds.ToString(CultureInfo.InvariantCulture);
            if (!allowed)
            {
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return Results.Json(ErrorResponseWriter.Create(http, ErrorCodes.RateLimitExceeded, message), MwapJson.Options, statusCode: StatusCodes.Status429TooManyRequests);
            }

            return await next(context);
        });

    // The provider's redirect and the popup's result pages: public, so keyed by address, in a stricter bucket of their own.
    private static readonly string[] AnonymousOAuthPaths =
        ["/api/v1/oauth/callback", "/api/v1/oauth/success", "/api/v1/oauth/error", "/oauth/success", "/oauth/error"];

    private static bool IsAnonymousOAuthRoute(PathString path) =>
        AnonymousOAuthPaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase));

    public static IApplicationBuilder UseUserRateLimiting(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            await next(context);
            return;
        }

        var limiter = context.RequestServices.GetRequiredService<UserRateLimiter>();
        var sub = context.User.FindFirst("sub")?.Value;
        var (allowed, limit, remaining, reset) = IsAnonymousOAuthRoute(context.Request.Path)
            ? await limiter.AcquireAsync("oauth-ip:" + context.Connection.RemoteIpAddress,
                context.RequestServices.GetRequiredService<IOptions<RateLimitingOptions>>().Value.OAuthPermitLimit, TimeSpan.FromMinutes(1))
            : await limiter.AcquireAsync(sub is not null ? "u:" + sub : "ip:" + context.Connection.RemoteIpAddress);
        var headers = context.Response.Headers;
        headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (!allowed)
        {
            var time = context.RequestServices.GetRequiredService<TimeProvider>();
            var retryAfter = Math.Max(1, (int)Math.Ceiling((reset - time.GetUtcNow()).TotalSeconds));
            headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await ErrorResponseWriter.WriteAsync(context, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimitExceeded,
                "Too many requests, please try again later.");
            return;
        }

        await next(context);
    });
}
