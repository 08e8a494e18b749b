using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

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
}

/// <summary>
/// Fixed-window limiter keyed by user. Unlike ASP.NET's partitioned limiter it can tell the caller how much of
/// the window is left, which MWAP clients read from <c>X-RateLimit-*</c> on every response.
/// State is per instance (in memory); several instances each enforce the limit.
/// </summary>
internal sealed class UserRateLimiter(TimeProvider time, IOptions<RateLimitingOptions> options)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _lastSweep;

    public (bool Allowed, int Limit, int Remaining, DateTimeOffset Reset) Acquire(string key)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var windowTicks = TimeSpan.FromSeconds(o.WindowSeconds).Ticks;
        var windowStart = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % windowTicks), TimeSpan.Zero);
        Sweep(windowStart);
        var window = _windows.AddOrUpdate(key,
            _ => new Window(windowStart, 1),
            (_, w) => w.Start == windowStart ? w with { Count = w.Count + 1 } : new Window(windowStart, 1));
        var reset = windowStart.AddSeconds(o.WindowSeconds);
        return (window.Count <= o.PermitLimit, o.PermitLimit, Math.Max(0, o.PermitLimit - window.Count), reset);
    }

    // Drop finished windows now and then so the dictionary holds only the current window's callers.
    private void Sweep(DateTimeOffset currentStart)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (currentStart.UtcTicks == last || Interlocked.CompareExchange(ref _lastSweep, currentStart.UtcTicks, last) != last)
        {
            return;
        }

        foreach (var (key, window) in _windows)
        {
            if (window.Start < currentStart)
            {
                _windows.TryRemove(new KeyValuePair<string, Window>(key, window));
            }
        }
    }

    private sealed record Window(DateTimeOffset Start, int Count);
}

internal static class RateLimitingMiddleware
{
    public static IApplicationBuilder UseUserRateLimiting(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            await next(context);
            return;
        }

        var limiter = context.RequestServices.GetRequiredService<UserRateLimiter>();
        var sub = context.User.FindFirst("sub")?.Value;
        var key = sub is not null ? "u:" + sub : "ip:" + context.Connection.RemoteIpAddress;
        var (allowed, limit, remaining, reset) = limiter.Acquire(key);
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
