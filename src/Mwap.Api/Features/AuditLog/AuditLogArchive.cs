using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Mwap.Api.Features.AuditLog;

/// <summary>
/// Writes audit rows the retention job is about to delete to <c>AuditLog:ArchiveDirectory</c>: gzipped JSON Lines, one file
/// per tenant and UTC day (<c>{tenantId or _platform}/{yyyy-MM-dd}.jsonl.gz</c>), one JSON object per row whose keys are the
/// table's column names, so a restore is a plain insert. Each write appends a gzip member (readers such as <c>zcat</c> read
/// concatenated members as one stream) and is flushed to disk (fsync) before returning; the caller deletes only afterwards.
/// A crash between the write and the delete archives those rows again next run: restore skips ids it already has.
/// </summary>
internal sealed class AuditLogArchive(IOptions<AuditLogOptions> options)
{
    public const string PlatformFolder = "_platform";

    public bool Enabled => !string.IsNullOrWhiteSpace(options.Value.ArchiveDirectory);

    /// <summary>Appends <paramref name="rows"/> to their tenant-day files and fsyncs each; throws (deleting nothing) on any failure.</summary>
    public async Task WriteAsync(IReadOnlyList<AuditLogEntry> rows, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(options.Value.ArchiveDirectory!);
        foreach (var group in rows.GroupBy(r => (Tenant: r.TenantId ?? PlatformFolder, Day: DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc).Date)))
        {
            // Tenant ids are 24-hex ObjectIds, checked anyway: nothing from a row may steer the path outside the directory.
            var folder = group.Key.Tenant == PlatformFolder || Infrastructure.Persistence.ObjectId.IsValid(group.Key.Tenant)
                ? group.Key.Tenant.ToLowerInvariant()
                : "_invalid";
            var directory = Path.Combine(root, folder);
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, group.Key.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".jsonl.gz");
            await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
            await using (var gzip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true))
            {
                foreach (var row in group.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal))
                {
                    await gzip.WriteAsync(Line(row), cancellationToken);
                }
            }

            // Data on disk before the rows go: flush through the OS cache.
            file.Flush(flushToDisk: true);
        }
    }

    private static byte[] Line(AuditLogEntry row)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", row.Id);
            json.WriteString("tenant_id", row.TenantId);
            json.WriteString("actor_id", row.ActorId);
            json.WriteString("action", row.Action);
            json.WriteString("target_type", row.TargetType);
            json.WriteString("target_id", row.TargetId);
            json.WriteString("outcome", row.Outcome);
            json.WriteString("ip", row.Ip);
            json.WriteString("user_agent", row.UserAgent);
            json.WriteString("trace_id", row.TraceId);
            json.WriteString("details", row.Details);
            json.WriteString("created_at", DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
