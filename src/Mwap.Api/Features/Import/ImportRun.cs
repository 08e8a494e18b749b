using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Import;

/// <summary>What the caller asked for (the verb's arguments).</summary>
internal sealed record ImportOptions
{
    public required string Source { get; init; }
    public string? LegacyKey { get; init; }
    public bool DryRun { get; init; }
    public bool Overwrite { get; init; }

    /// <summary>Import only this tenant (and the platform catalogues it needs).</summary>
    public string? Tenant { get; init; }

    /// <summary>Tenants read from the staging store at a time (progress is reported per batch).</summary>
    public int Batch { get; init; } = 100;

    /// <summary>Where the staging file goes; the system's temp folder by default.</summary>
    public string? WorkDirectory { get; init; }
}

/// <summary>State shared by the platform step and every tenant of one run.</summary>
internal sealed class ImportRun(ImportOptions options, ImportReport report, LegacySecrets legacy, ISecretProtector protector, DateTime now, ILogger logger)
{
    public ILogger Logger { get; } = logger;
    public ImportOptions Options { get; } = options;
    public ImportReport Report { get; } = report;
    public LegacySecrets Legacy { get; } = legacy;
    public ISecretProtector Protector { get; } = protector;
    public DateTime Now { get; } = now;

    /// <summary>This run, in the import marker a running server watches (<see cref="ImportMarker"/>).</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N");

    private int _markerWrites;

    public string NextMarkerStamp() => Interlocked.Increment(ref _markerWrites).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>MWAP provider id → ours: the same id, or the provider already here with the same slug.</summary>
    public Dictionary<string, string> Providers { get; } = new(StringComparer.Ordinal);

    public HashSet<string> ProjectTypes { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Tenant names (folded as the unique index folds them, <see cref="Tenants.Tenant.NormalizeName"/>) and owners taken,
    /// here before or earlier in this run: both are unique platform-wide.
    /// </summary>
    public Dictionary<string, string> TenantNames { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> TenantOwners { get; } = new(StringComparer.Ordinal);

    /// <summary>Tenants that have rows here (or had, per the ledger): only those need their rows read before writing.</summary>
    public HashSet<string> TenantsHere { get; } = new(StringComparer.Ordinal);

    public ImportTimings Timings { get; } = new();
}

/// <summary>Where an import's time went (seconds), printed with the progress: the first thing to read when it is slow.</summary>
internal sealed class ImportTimings
{
    public double Staging { get; set; }
    public double Existing { get; set; }
    public double Reading { get; set; }
    public double Mapping { get; set; }
    public double Writing { get; set; }

    /// <summary>Of the writing: seconds per table written in bulk, and the commits (written by the one writer only).</summary>
    public SortedDictionary<string, double> Tables { get; } = new(StringComparer.Ordinal);

    public double Committing { get; set; }

    /// <summary>How long the writer waited for the next mapped batch: the mapping, not the database, was the limit then.</summary>
    public double Waiting { get; set; }

    public string Describe(double total) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"time: {total:F1} s in all; staging the source {Staging:F1} s, reading rows here {Existing:F1} s, reading staged tenants {Reading:F1} s, mapping (incl. secrets) {Mapping:F1} s, writing {Writing:F1} s ({string.Join(", ", Tables.Select(t => $"{t.Key} {t.Value:F1} s"))}, commits {Committing:F1} s), writer waiting for mapped batches {Waiting:F1} s");
}

internal enum Decision
{
    Insert,
    Update,
    Unchanged,
    Conflict,
}

internal static class Ledger
{
    /// <summary>
    /// What to do with one source record, given whether its row exists here, the ledger's record of the last
    /// import, and the row's current stamp. Reports a conflict (and, with <c>--overwrite</c>, updates anyway).
    /// </summary>
    public static Decision Decide(ImportRun run, ImportReport delta, string collection, string id, bool exists,
        ImportRecord? record, string? stamp, string fingerprint)
    {
        if (!exists)
        {
            return Decision.Insert;
        }

        string? conflict = record is null ? "a row with this id exists here and was not imported"
            : record.Stamp != stamp ? "changed here since the last import" : null;
        if (conflict is not null)
        {
            // With --overwrite the row is counted once, as updated; the note still says what was overwritten.
            delta.Note(collection, id, run.Options.Overwrite ? NoteKinds.Overwritten : NoteKinds.Conflict,
                run.Options.Overwrite ? conflict + "; overwritten (--overwrite)" : conflict + "; left alone");
            return run.Options.Overwrite ? Decision.Update : Decision.Conflict;
        }

        return record!.Fingerprint == fingerprint ? Decision.Unchanged : Decision.Update;
    }

    public static void Count(ImportReport delta, string collection, Decision decision)
    {
        var counts = delta.For(collection);
        switch (decision)
        {
            case Decision.Insert:
                counts.Imported++;
                break;
            case Decision.Update:
                counts.Updated++;
                break;
            case Decision.Unchanged:
                counts.Unchanged++;
                break;
        }
    }
}
