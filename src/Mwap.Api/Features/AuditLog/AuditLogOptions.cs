using System.ComponentModel.DataAnnotations;

namespace Mwap.Api.Features.AuditLog;

/// <summary>Audit trail settings (<c>AuditLog:*</c>).</summary>
internal sealed class AuditLogOptions
{
    public const string SectionName = "AuditLog";

    /// <summary>Days audit rows are kept when a tenant sets no <c>retentionDays</c> of its own (default 90).</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>Rows deleted per statement by the retention job, so one run never holds a long lock.</summary>
    [Range(100, 1_000_000)]
    public int RetentionBatchSize { get; set; } = 5000;

    /// <summary>
    /// Where the retention job archives rows before deleting them (gzipped JSON Lines per tenant and UTC day). Unset: rows
    /// are deleted without an archive.
    /// </summary>
    public string? ArchiveDirectory { get; set; }
}
