using System.Buffers;
using System.Globalization;
using System.Text.Json;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using Mwap.Api.Infrastructure.Http;

namespace Mwap.Api.Features.Import;

/// <summary>
/// An MWAP audit row's <c>details</c> as our audit JSON, written straight from the BSON document with the same redaction
/// as our own audit rows (<see cref="AuditLog.AuditLog.IsSecretKey"/>) and the same escaping. Half a million rows go
/// through here in a full import: going through Extended JSON text, a parse and a deep copy cost three times as much.
/// Values are written in relaxed Extended JSON form (a date as <c>{"$date": …}</c>, an ObjectId as <c>{"$oid": …}</c>).
/// </summary>
internal static class AuditDetails
{
    /// <summary>Our audit JSON's nesting limit (<see cref="MwapJson"/>); anything deeper is not kept.</summary>
    public const int MaxDepth = 32;

    private static readonly JsonWriterOptions Options = new() { Encoder = MwapJson.Options.Encoder, Indented = false, SkipValidation = false };
    private static readonly JsonWriterSettings RelaxedJson = new() { OutputMode = JsonOutputMode.RelaxedExtendedJson, Indent = false };

    /// <summary>The sanitised JSON, or null when the document nests deeper than <see cref="MaxDepth"/>.</summary>
    public static string? ToJson(BsonDocument details)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            if (!Write(writer, details, 1))
            {
                return null;
            }
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static bool Write(Utf8JsonWriter writer, BsonValue value, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        switch (value)
        {
            case BsonDocument document:
                writer.WriteStartObject();
                foreach (var element in document)
                {
                    writer.WritePropertyName(element.Name);
                    if (AuditLog.AuditLog.IsSecretKey(element.Name))
                    {
                        writer.WriteStringValue("[REDACTED]");
                    }
                    else if (!Write(writer, element.Value, depth + 1))
                    {
                        return false;
                    }
                }

                writer.WriteEndObject();
                return true;
            case BsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    if (!Write(writer, item, depth + 1))
                    {
                        return false;
                    }
                }

                writer.WriteEndArray();
                return true;
            case BsonString s:
                writer.WriteStringValue(s.Value);
                return true;
            case BsonBoolean b:
                writer.WriteBooleanValue(b.Value);
                return true;
            case BsonInt32 i:
                writer.WriteNumberValue(i.Value);
                return true;
            case BsonInt64 l:
                writer.WriteNumberValue(l.Value);
                return true;
            case BsonDouble d when double.IsFinite(d.Value):
                writer.WriteNumberValue(d.Value);
                return true;
            case BsonNull or BsonUndefined:
                writer.WriteNullValue();
                return true;
            case BsonObjectId oid:
                writer.WriteStartObject();
                writer.WriteString("$oid", oid.Value.ToString());
                writer.WriteEndObject();
                return true;
            case BsonDateTime { IsValidDateTime: true } date when date.ToUniversalTime().Year is >= 1970 and <= 9999:
                writer.WriteStartObject();
                writer.WriteString("$date", date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFF'Z'", CultureInfo.InvariantCulture));
                writer.WriteEndObject();
                return true;
            default:
                // Anything rarer (binary, decimal, regex, a date out of range, a non-finite double…): its relaxed
                // Extended JSON as the MongoDB driver writes it, which is valid JSON.
                var wrapped = new BsonDocument("v", value).ToJson(RelaxedJson); // { "v" : … }
                writer.WriteRawValue(wrapped[(wrapped.IndexOf(':', StringComparison.Ordinal) + 1)..wrapped.LastIndexOf('}')].Trim());
                return true;
        }
    }
}
