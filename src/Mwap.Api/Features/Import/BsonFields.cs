using System.Security.Cryptography;
using System.Text;
using MongoDB.Bson;
using MongoDB.Bson.IO;

namespace Mwap.Api.Features.Import;

/// <summary>Reads MWAP's fields as MWAP wrote them: ids as ObjectId or string, dates as Date or ISO text, several spellings.</summary>
internal static class BsonFields
{
    private static readonly JsonWriterSettings RelaxedJson = new() { OutputMode = JsonOutputMode.RelaxedExtendedJson, Indent = false };

    /// <summary>
    /// The id as stored here: a 24-hex ObjectId (either BSON type or MWAP's string form) keeps its value in lower case;
    /// any other string maps to a stable 24-hex id derived from it, so every reference to it resolves the same way on
    /// every run. <paramref name="derived"/> says the value had to be derived (reported as normalised).
    /// </summary>
    public static string? Id(BsonValue? value, out bool derived)
    {
        derived = false;
        switch (value)
        {
            case BsonObjectId oid:
                return oid.Value.ToString();
            case BsonString { Value: var s } when Infrastructure.Persistence.ObjectId.IsValid(s.Trim()):
                return s.Trim().ToLowerInvariant();
            case BsonString { Value: var s } when !string.IsNullOrWhiteSpace(s):
                derived = true;
                return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("mwap-import-id:" + s.Trim())).AsSpan(0, 12));
            case BsonDocument d when d.TryGetValue("$oid", out var inner):
                return Id(inner, out derived);
            default:
                return null;
        }
    }

    public static string? Id(BsonDocument doc, string name) => Id(doc.GetValue(name, BsonNull.Value), out _);

    public static BsonValue? Get(BsonDocument doc, params string[] path)
    {
        BsonValue current = doc;
        foreach (var name in path)
        {
            if (current is not BsonDocument d || !d.TryGetValue(name, out current))
            {
                return null;
            }
        }

        return current is BsonNull or BsonUndefined ? null : current;
    }

    public static string? Str(BsonDocument doc, params string[] path) => Get(doc, path) switch
    {
        BsonString s => s.Value,
        BsonObjectId o => o.Value.ToString(),
        null => null,
        var v when v.IsNumeric || v.IsBoolean => v.ToString(),
        _ => null,
    };

    public static bool? Bool(BsonDocument doc, params string[] path) => Get(doc, path) switch
    {
        BsonBoolean b => b.Value,
        BsonString { Value: "true" } => true,
        BsonString { Value: "false" } => false,
        _ => null,
    };

    public static long? Long(BsonDocument doc, params string[] path) => Get(doc, path) switch
    {
        BsonInt32 i => i.Value,
        BsonInt64 l => l.Value,
        BsonDouble d when !double.IsNaN(d.Value) && Math.Abs(d.Value) < 9e18 => (long)d.Value,
        BsonDecimal128 m => (long)(decimal)m.Value,
        BsonString s when long.TryParse(s.Value, System.Globalization.CultureInfo.InvariantCulture, out var l) => l,
        _ => null,
    };

    public static DateTime? Date(BsonDocument doc, params string[] path) => Get(doc, path) switch
    {
        BsonDateTime d => d.ToUniversalTime(),
        BsonString s when DateTimeOffset.TryParse(s.Value, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed) => parsed.UtcDateTime,
        BsonInt64 ms => DateTimeOffset.FromUnixTimeMilliseconds(ms.Value).UtcDateTime,
        _ => null,
    };

    public static List<string> Strings(BsonDocument doc, params string[] path) => Get(doc, path) switch
    {
        BsonArray a => [.. a.Where(v => v is BsonString).Select(v => v.AsString)],
        BsonString s => [.. s.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)],
        _ => [],
    };

    /// <summary>A sub-document as JSON text (relaxed Extended JSON, so a date or ObjectId inside stays readable).</summary>
    public static string? JsonText(BsonDocument doc, params string[] path) =>
        Get(doc, path) is BsonDocument d ? d.ToJson(RelaxedJson) : null;

    /// <summary>The fingerprint of a source document (and of what else decided its mapping), kept to spot source changes on a re-run.</summary>
    public static string Fingerprint(BsonDocument doc, string extra)
    {
        var bytes = doc.ToBson();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(bytes);
        hash.AppendData(Encoding.UTF8.GetBytes("|" + extra));
        return Convert.ToBase64String(hash.GetHashAndReset().AsSpan(0, 16));
    }

    /// <summary>Cuts a text to our bound; the caller reports the change.</summary>
    public static string Cut(string value, int max) => value.Length <= max ? value : value[..max];
}
