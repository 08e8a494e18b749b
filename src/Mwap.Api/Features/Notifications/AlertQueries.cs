using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Notifications;

internal sealed record AlertProviderResponse(string Slug, string Name);

internal sealed record AlertResponse(
    [property: JsonPropertyName("_id")] string Id,
    string TenantId,
    string IntegrationId,
    AlertProviderResponse Provider,
    string Condition,
    string Day,
    string Message,
    string? Detail,
    string EmailStatus,
    int EmailAttempts,
    string? EmailError,
    DateTime? EmailSentAt,
    DateTime CreatedAt)
{
    public static AlertResponse From(TenantAlert a) => new(a.Id, a.TenantId, a.IntegrationId, new AlertProviderResponse(a.ProviderSlug, a.ProviderName),
        a.Condition, a.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), a.Message, a.Detail, a.EmailStatus, a.EmailAttempts, a.EmailError,
        a.EmailSentAt, a.CreatedAt);
}

internal sealed record AlertPage(IReadOnlyList<AlertResponse> Items, string? NextCursor, bool HasMore);

/// <summary>A tenant's alerts, newest first, with keyset paging on (createdAt, id).</summary>
internal sealed class AlertQueries(MwapDbContext db)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public async Task<AlertPage> ListAsync(string tenantId, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
        {
            throw Invalid("limit", $"limit must be a whole number from 1 to {MaxLimit}");
        }

        if (!await db.Tenants.AnyAsync(t => t.Id == tenantId, cancellationToken))
        {
            throw new NotFoundException(Tenants.TenantService.NotFoundCode, "Tenant not found");
        }

        var query = db.Set<TenantAlert>().AsNoTracking().Where(a => a.TenantId == tenantId);
        if (cursor is { Length: > 0 })
        {
            var (at, id) = Decode(cursor);
            query = query.Where(a => a.CreatedAt < at || (a.CreatedAt == at && string.Compare(a.Id, id) < 0));
        }

        var rows = await query.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Take(take + 1).ToListAsync(cancellationToken);
        var hasMore = rows.Count > take;
        var page = rows.Take(take).ToList();
        return new AlertPage([.. page.Select(AlertResponse.From)], hasMore ? Encode(page[^1]) : null, hasMore);
    }

    private static string Encode(TenantAlert last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{last.CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture)}|{last.Id}"));

    private static (DateTime At, string Id) Decode(string cursor)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split('|');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) &&
                ticks <= DateTime.MaxValue.Ticks && ObjectId.IsValid(parts[1]))
            {
                return (new DateTime(ticks, DateTimeKind.Utc), parts[1]);
            }
        }
        catch (FormatException)
        {
        }

        throw Invalid("cursor", "cursor is not one this server issued (use nextCursor of the previous page)");
    }

    private static BadRequestException Invalid(string field, string message) =>
        QueryParameters.Invalid(field, message);
}
