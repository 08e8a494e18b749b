using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.AuditLog;

/// <summary>Filters for reading the audit trail; every one optional.</summary>
internal sealed record AuditLogFilter(string? Action, string? Actor, string? TargetType, string? TargetId, DateTime? From, DateTime? To, int? Limit, string? Cursor);

internal sealed record AuditLogPage(IReadOnlyList<AuditLogResponse> Items, string? NextCursor, bool HasMore);

internal sealed record AuditLogResponse(
    [property: JsonPropertyName("_id")] string Id,
    string? TenantId,
    string ActorId,
    string Action,
    string TargetType,
    string? TargetId,
    string Outcome,
    string? Ip,
    string? UserAgent,
    string? TraceId,
    JsonElement? Details,
    DateTime CreatedAt)
{
    public static AuditLogResponse From(AuditLogEntry e) => new(e.Id, e.TenantId, e.ActorId, e.Action, e.TargetType, e.TargetId, e.Outcome,
        e.Ip, e.UserAgent, e.TraceId, e.Details is null ? null : JsonDocument.Parse(e.Details).RootElement.Clone(), e.CreatedAt);
}

/// <summary>Reads the audit trail newest first, with keyset (cursor) pagination that stays stable while rows are added.</summary>
internal sealed class AuditLogQueries(MwapDbContext db)
{
    public const int MaxLimit = 200;

    public async Task<AuditLogPage> ListAsync(string? tenantId, AuditLogFilter filter, CancellationToken cancellationToken)
    {
        var limit = filter.Limit ?? 50;
        if (limit is < 1 or > MaxLimit)
        {
            throw QueryParameters.Invalid("limit", $"limit must be a whole number from 1 to {MaxLimit}");
        }

        var query = db.AuditLogs.AsNoTracking();
        if (tenantId is not null)
        {
            query = query.Where(a => a.TenantId == tenantId);
        }

        if (filter.Action is { Length: > 0 } action)
        {
            query = query.Where(a => a.Action == action);
        }

        if (filter.Actor is { Length: > 0 } actor)
        {
            query = query.Where(a => a.ActorId == actor);
        }

        if (filter.TargetType is { Length: > 0 } targetType)
        {
            query = query.Where(a => a.TargetType == targetType);
        }

        if (filter.TargetId is { Length: > 0 } targetId)
        {
            query = query.Where(a => a.TargetId == targetId);
        }

        if (filter.From is { } from)
        {
            var f = from.ToUniversalTime();
            query = query.Where(a => a.CreatedAt >= f);
        }

        if (filter.To is { } to)
        {
            var t = to.ToUniversalTime();
            query = query.Where(a => a.CreatedAt < t);
        }

        if (filter.Cursor is { Length: > 0 } cursor)
        {
            var (at, id) = DecodeCursor(cursor);
            query = query.Where(a => a.CreatedAt < at || (a.CreatedAt == at && string.Compare(a.Id, id) < 0));
        }

        var rows = await query.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var hasMore = rows.Count > limit;
        var page = rows.Take(limit).ToList();
        return new AuditLogPage([.. page.Select(AuditLogResponse.From)], hasMore ? EncodeCursor(page[^1]) : null, hasMore);
    }

    private static string EncodeCursor(AuditLogEntry last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{last.CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture)}|{last.Id}"));

    private static (DateTime At, string Id) DecodeCursor(string cursor)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split('|');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTime.MaxValue.Ticks && ObjectId.IsValid(parts[1]))
            {
                return (new DateTime(ticks, DateTimeKind.Utc), parts[1]);
            }
        }
        catch (FormatException)
        {
        }

        throw QueryParameters.Invalid("cursor", "cursor is not one this server issued (use nextCursor of the previous page)");
    }
}
