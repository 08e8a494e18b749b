using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Integrations.OAuth;

/// <summary>
/// Failed anonymous callbacks that match no live flow (garbage, forged, expired or replayed states, <c>?error=</c> without
/// a flow), counted per client address, UTC minute and failure code. The callback is public: one audit row per attempt
/// would let anyone flood the audit table and skew <c>/oauth/security</c>; a callback that matches a real flow is still
/// audited on its own.
/// </summary>
internal sealed class OAuthCallbackFailure
{
    public const string TableName = "oauth_callback_failures";

    public string Ip { get; init; } = null!;
    public DateTime WindowStart { get; init; }
    public string Code { get; init; } = null!;
    public int Count { get; set; }
    public DateTime LastAt { get; set; }
}

internal sealed class OAuthCallbackFailureConfiguration : IEntityTypeConfiguration<OAuthCallbackFailure>
{
    public void Configure(EntityTypeBuilder<OAuthCallbackFailure> builder)
    {
        builder.ToTable(OAuthCallbackFailure.TableName);
        builder.HasKey(f => new { f.Ip, f.WindowStart, f.Code });
        builder.Property(f => f.Ip).HasMaxLength(64);
        builder.Property(f => f.Code).HasMaxLength(64);
        builder.HasIndex(f => f.WindowStart);
    }
}

/// <summary>Adds one failure to its address's current minute. Safe under concurrency and across instances.</summary>
internal sealed class OAuthCallbackFailureCounter(MwapDbContext db, IHttpContextAccessor http, TimeProvider time)
{
    public async Task CountAsync(string code)
    {
        var ip = http.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var now = time.GetUtcNow().UtcDateTime;
        var window = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
        var failures = db.Set<OAuthCallbackFailure>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            // An atomic increment of the existing row; the first failure of a minute inserts it (a racing insert retries).
            if (await failures.Where(f => f.Ip == ip && f.WindowStart == window && f.Code == code)
                    .ExecuteUpdateAsync(s => s.SetProperty(f => f.Count, f => f.Count + 1).SetProperty(f => f.LastAt, now)) == 1)
            {
                return;
            }

            failures.Add(new OAuthCallbackFailure { Ip = ip, WindowStart = window, Code = code, Count = 1, LastAt = now });
            try
            {
                await db.SaveChangesAsync();
                return;
            }
            catch (DbUpdateException e) when (UniqueViolation.Is(e))
            {
                db.ChangeTracker.Clear();
            }
        }
    }
}
