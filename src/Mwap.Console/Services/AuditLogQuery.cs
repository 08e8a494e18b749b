using System.Globalization;
using System.Text;

namespace Mwap.WebConsole.Services;

/// <summary>
/// The audit log's filters as the API takes them (<c>action</c>, <c>actor</c>, <c>targetType</c>, <c>targetId</c>,
/// <c>from</c>, <c>to</c>, and <c>tenantId</c> on the superadmin route) and the query string they make. Dates are whole
/// days in UTC: <c>from</c> is the start of its day, <c>to</c> the start of the day after (the API's <c>to</c> is
/// exclusive), so "to 30 Nov" includes 30 Nov.
/// </summary>
public sealed class AuditLogQuery
{
    public string? Action { get; set; }
    public string? Actor { get; set; }
    public string? TargetType { get; set; }
    public string? TargetId { get; set; }
    public DateTime? From { get; set; }
    public DateTime? To { get; set; }

    /// <summary>Only on the superadmin route; a tenant's route is scoped by its path.</summary>
    public string? TenantId { get; set; }

    /// <summary>The path and query for one page: <paramref name="tenantId"/> picks the tenant's route, else the superadmin's.</summary>
    public string ToPath(string? tenantId, int limit, string? cursor)
    {
        var path = tenantId is null ? "admin/audit-logs" : $"tenants/{Uri.EscapeDataString(tenantId)}/audit-logs";
        var query = new StringBuilder("limit=").Append(limit.ToString(CultureInfo.InvariantCulture));
        Add(query, "action", Action);
        Add(query, "actor", Actor);
        Add(query, "targetType", TargetType);
        Add(query, "targetId", TargetId);
        Add(query, "from", From is { } from ? Day(from) : null);
        Add(query, "to", To is { } to ? Day(to.Date.AddDays(1)) : null);
        if (tenantId is null)
        {
            Add(query, "tenantId", TenantId);
        }

        Add(query, "cursor", cursor);
        return path + "?" + query;
    }

    public void Clear()
    {
        Action = Actor = TargetType = TargetId = TenantId = null;
        From = To = null;
    }

    private static string Day(DateTime date) => date.Date.ToString("yyyy-MM-dd'T'00:00:00'Z'", CultureInfo.InvariantCulture);

    private static void Add(StringBuilder query, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            query.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value.Trim()));
        }
    }
}
