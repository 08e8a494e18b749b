using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Usage;

/// <summary>One day's figures (also the <c>current</c> ones: the latest computed day).</summary>
internal sealed record UsageDayResponse(
    string Day,
    long ProviderRequests,
    long ProviderRequestsDelta,
    long FilesIndexed,
    long StorageUsed,
    IReadOnlyDictionary<string, ProviderStorage> StorageByProvider,
    int ActiveMembers,
    int Projects,
    int Integrations,
    DateTime? LastActivity,
    DateTime ComputedAt)
{
    public static UsageDayResponse From(TenantUsageDaily u) => new(
        u.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), u.ProviderRequests, u.ProviderRequestsDelta, u.FilesIndexed, u.StorageBytes,
        JsonSerializer.Deserialize<Dictionary<string, ProviderStorage>>(u.StorageByProvider, MwapJson.Options) ?? [],
        u.ActiveMembers, u.Projects, u.Integrations, u.LastActivity, u.ComputedAt);
}

internal sealed record UsageResponse(string TenantId, string From, string To, UsageDayResponse? Current, IReadOnlyList<UsageDayResponse> Daily);

/// <summary>Reads a tenant's usage rows.</summary>
internal sealed class UsageQueries(MwapDbContext db, TimeProvider time)
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;

    public async Task<UsageResponse> GetAsync(string tenantId, string? from, string? to, CancellationToken cancellationToken)
    {
        if (!await db.Tenants.AnyAsync(t => t.Id == tenantId, cancellationToken))
        {
            throw new NotFoundException(Tenants.TenantService.NotFoundCode, "Tenant not found");
        }

        var errors = new Dictionary<string, string>();
        var end = ParseDay(to, "to", errors) ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var start = ParseDay(from, "from", errors) ?? end.AddDays(-(DefaultDays - 1));
        if (errors.Count == 0 && start > end)
        {
            errors["from"] = "Must not be after 'to'";
        }
        else if (errors.Count == 0 && end.DayNumber - start.DayNumber >= MaxDays)
        {
            errors["from"] = $"The range may span at most {MaxDays} days";
        }

        if (errors.Count > 0)
        {
            throw new BadRequestException(ErrorCodes.InvalidInput, "Invalid query", errors);
        }

        var rows = await db.Set<TenantUsageDaily>().AsNoTracking()
            .Where(u => u.TenantId == tenantId && u.Day >= start && u.Day <= end)
            .OrderBy(u => u.Day).ToListAsync(cancellationToken);
        var latest = await db.Set<TenantUsageDaily>().AsNoTracking()
            .Where(u => u.TenantId == tenantId).OrderByDescending(u => u.Day).FirstOrDefaultAsync(cancellationToken);
        return new UsageResponse(tenantId, Format(start), Format(end), latest is null ? null : UsageDayResponse.From(latest),
            [.. rows.Select(UsageDayResponse.From)]);
    }

    private static DateOnly? ParseDay(string? value, string name, Dictionary<string, string> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors[name] = "Must be a date as YYYY-MM-DD";
        return null;
    }

    private static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
