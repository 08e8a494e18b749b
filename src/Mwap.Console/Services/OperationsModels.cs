using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mwap.WebConsole.Services;

// The superadmin operations routes and the audit log as the console reads them (subsets; unknown fields are ignored).

public sealed record RecurringJob(string Id, string Cron, string? TimeZone, DateTime? NextExecution, DateTime? LastExecution,
    string? LastJobId, string? LastJobState, string? Error);

public sealed record FailedJob(string JobId, string Job, string? RecurringJobId, DateTime? FailedAt, string? ExceptionType, string? ExceptionMessage);

public sealed record JobsReport(int ServersOnline, IReadOnlyList<RecurringJob> Recurring, long FailedCount, IReadOnlyList<FailedJob> RecentFailures);

public sealed record TriggeredJob(string RecurringJobId, string JobId);

public sealed record DashboardLink(string Url, string Path, DateTime ExpiresAt);

public sealed record DatabaseConnections(long? InUse, long? InUseByThisDatabase, long? Max, long? Available, string? Note);

public sealed record TableStats(string Name, long? RowEstimate, long? TableBytes, long? IndexBytes);

public sealed record SlowStatement(string Query, long Calls, double MeanMs, double TotalMs, long Rows);

public sealed record SqlitePages(long PageCount, long PageSize, long FreelistCount, string AutoVacuum, string JournalMode, long? FileBytes);

public sealed record DatabaseReport(string Provider, long? DatabaseSize, DatabaseConnections Connections, IReadOnlyList<TableStats> Tables,
    IReadOnlyList<SlowStatement> SlowestStatements, string? Note, SqlitePages? Sqlite);

public sealed record ProviderIntegrations(string Provider, int Total, IReadOnlyDictionary<string, int> ByStatus, IReadOnlyDictionary<string, int> ByHealth);

public sealed record FailingIntegration(string Id, string TenantId, string Provider, string Status, string HealthStatus, int ErrorCount,
    string? LastError, DateTime? LastCheck);

public sealed record IntegrationsReport(int Total, IReadOnlyDictionary<string, int> ByStatus, IReadOnlyDictionary<string, int> ByHealth,
    IReadOnlyList<ProviderIntegrations> Providers, DateTime? OldestHealthCheck, int TokensExpiringWithinHour, int TokensAlreadyExpired,
    IReadOnlyList<FailingIntegration> Failing, DateTime GeneratedAt);

public sealed record AuditEntry(
    [property: JsonPropertyName("_id")] string Id, string? TenantId, string ActorId, string Action, string TargetType, string? TargetId,
    string Outcome, string? Ip, string? UserAgent, string? TraceId, JsonElement? Details, DateTime CreatedAt);

/// <summary>The audit log's page: unlike the file list, <c>items</c>, <c>nextCursor</c> and <c>hasMore</c> sit inside <c>data</c>.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, string? NextCursor, bool HasMore);

public sealed record OAuthMetrics(int TotalAttempts, int SuccessfulAttempts, int FailedAttempts, double SuccessRate, double FailureRate,
    string TimeWindow, DateTime StartTime, DateTime EndTime);

public sealed record OAuthMetricsResponse(OAuthMetrics Metrics, DateTime Timestamp, string TimeWindow);

public sealed record OAuthPatternEvidence(string? Ip, int Failures);

public sealed record OAuthPattern(string Type, string Severity, string Description, OAuthPatternEvidence Evidence, DateTime DetectedAt, string Source);

public sealed record OAuthAlert(string Id, string Type, string Severity, string Title, string Description, IReadOnlyList<string> RecommendedActions,
    DateTime CreatedAt, string Status);

public sealed record DataExposure(bool IsSecure, IReadOnlyList<string> Issues, IReadOnlyList<string> Recommendations);

public sealed record AttackVectors(IReadOnlyList<string> Vulnerabilities, IReadOnlyList<string> Mitigations, string RiskLevel);

/// <summary><c>GET /oauth/security/report</c>: the other five routes' answers in one.</summary>
public sealed record OAuthSecurityReport(OAuthMetrics Metrics, IReadOnlyList<OAuthAlert> Alerts, IReadOnlyList<OAuthPattern> Patterns,
    DataExposure DataExposure, AttackVectors AttackVectors, DateTime Timestamp);

public sealed record OAuthPatternsResponse(IReadOnlyList<OAuthPattern> Patterns, int Count, DateTime Timestamp);
