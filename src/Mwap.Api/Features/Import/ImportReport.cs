using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mwap.Api.Features.Import;

/// <summary>Counts for one source collection.</summary>
internal sealed class CollectionCounts
{
    public long Read { get; set; }
    public long Imported { get; set; }
    public long Updated { get; set; }
    public long Unchanged { get; set; }
    public long Skipped { get; set; }
    public long Conflicts { get; set; }
    public long Normalised { get; set; }
}

/// <summary>One record the import did not take as it was: skipped, normalised, left alone (conflict), or imported without its secret.</summary>
internal sealed record ImportNote(string Collection, string Id, string Kind, string Reason);

internal static class NoteKinds
{
    public const string Skipped = "skipped";
    public const string Normalised = "normalised";
    public const string Conflict = "conflict";

    /// <summary>Changed here since the last import, and overwritten with the source (<c>--overwrite</c>): counted as updated, not as a conflict.</summary>
    public const string Overwritten = "overwritten";

    /// <summary>Imported, but a secret could not be carried over: the integration needs a reconnect, or the provider its secret.</summary>
    public const string Secret = "secret";
}

/// <summary>What an import did (or, in a dry run, would do). Printed at the end and written as JSON with <c>--report</c>.</summary>
internal sealed class ImportReport
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Source { get; init; } = "";
    public string SourceKind { get; init; } = "";
    public bool DryRun { get; init; }
    public bool Overwrite { get; init; }
    public string? Tenant { get; init; }
    public SortedDictionary<string, CollectionCounts> Collections { get; } = new(StringComparer.Ordinal);

    /// <summary>Collections the import does not know, with their document counts; skipped whole.</summary>
    public SortedDictionary<string, long> UnknownCollections { get; } = new(StringComparer.Ordinal);

    public long SecretsReencrypted { get; set; }
    public List<ImportNote> Notes { get; } = [];
    public double Seconds { get; set; }

    [JsonIgnore]
    public bool AnySkipped => Notes.Any(n => n.Kind == NoteKinds.Skipped) || UnknownCollections.Count > 0;

    public CollectionCounts For(string collection)
    {
        if (!Collections.TryGetValue(collection, out var counts))
        {
            Collections[collection] = counts = new CollectionCounts();
        }

        return counts;
    }

    public void Note(string collection, string id, string kind, string reason)
    {
        Notes.Add(new ImportNote(collection, id, kind, reason));
        var counts = For(collection);
        switch (kind)
        {
            case NoteKinds.Skipped:
                counts.Skipped++;
                break;
            case NoteKinds.Normalised:
                counts.Normalised++;
                break;
            case NoteKinds.Conflict:
                counts.Conflicts++;
                break;
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine(DryRun ? $"Dry run of an import from {Source} ({SourceKind}); nothing was written." : $"Import from {Source} ({SourceKind}).");
        text.AppendLine($"{"collection",-28}{"read",10}{"imported",10}{"updated",10}{"unchanged",10}{"skipped",10}{"conflicts",10}{"normalised",11}");
        foreach (var (name, c) in Collections)
        {
            text.AppendLine($"{name,-28}{c.Read,10}{c.Imported,10}{c.Updated,10}{c.Unchanged,10}{c.Skipped,10}{c.Conflicts,10}{c.Normalised,11}");
        }

        foreach (var (name, count) in UnknownCollections)
        {
            text.AppendLine($"unknown collection {name}: {count} documents skipped");
        }

        text.AppendLine($"secrets re-encrypted under the key ring: {SecretsReencrypted}");
        foreach (var note in Notes)
        {
            text.AppendLine($"{note.Kind,-10} {note.Collection} {note.Id}: {note.Reason}");
        }

        text.AppendLine($"{Seconds:F1} s");
        return text.ToString();
    }
}

internal static class ImportReportMerge
{
    /// <summary>Adds one tenant's outcome to the run's report (only once that tenant's transaction has committed).</summary>
    public static void Merge(this ImportReport report, ImportReport delta)
    {
        foreach (var (name, c) in delta.Collections)
        {
            var total = report.For(name);
            total.Read += c.Read;
            total.Imported += c.Imported;
            total.Updated += c.Updated;
            total.Unchanged += c.Unchanged;
            total.Skipped += c.Skipped;
            total.Conflicts += c.Conflicts;
            total.Normalised += c.Normalised;
        }

        report.Notes.AddRange(delta.Notes);
        report.SecretsReencrypted += delta.SecretsReencrypted;
    }
}
