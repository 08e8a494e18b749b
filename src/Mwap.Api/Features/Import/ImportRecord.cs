using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mwap.Api.Features.Import;

/// <summary>
/// The import's ledger: for each row it wrote, the fingerprint of the source document it came from and the row's
/// stamp (its version, or when it was indexed) right after the write. A re-run compares both: same source and same
/// stamp is a no-op, a new source updates, and a stamp that moved means the row was changed here since, which is a
/// conflict left alone unless <c>--overwrite</c>.
/// </summary>
internal sealed class ImportRecord
{
    /// <summary>Our table name (<c>tenants</c>, <c>projects</c>, …).</summary>
    public string Table { get; init; } = null!;

    public string RowId { get; init; } = null!;

    /// <summary>The tenant the row belongs to; empty for the platform's catalogues (so the key can lead with it, as Citus needs).</summary>
    public string TenantId { get; init; } = "";

    public string Fingerprint { get; set; } = null!;
    public string Stamp { get; set; } = "";
    public DateTime ImportedAt { get; set; }
}

internal sealed class ImportRecordConfiguration : IEntityTypeConfiguration<ImportRecord>
{
    public void Configure(EntityTypeBuilder<ImportRecord> builder)
    {
        builder.ToTable("mwap_import_records");
        // A re-run reads one tenant's records at a time: the key leads with the tenant.
        builder.HasKey(r => new { r.TenantId, r.Table, r.RowId });
        builder.Property(r => r.Table).HasColumnName("table_name").HasMaxLength(40);
        builder.Property(r => r.RowId).HasMaxLength(24);
        builder.Property(r => r.TenantId).HasMaxLength(24);
        builder.Property(r => r.Fingerprint).HasMaxLength(44).IsRequired();
        builder.Property(r => r.Stamp).HasMaxLength(40).IsRequired();
    }
}
