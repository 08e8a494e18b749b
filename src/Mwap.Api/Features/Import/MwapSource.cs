using System.IO.Compression;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

namespace Mwap.Api.Features.Import;

/// <summary>
/// One document of the source, with the collection it came from, as BSON bytes: a dump's bytes as they were in the file
/// (staged as they are, never parsed and re-serialised), a JSON source's documents converted to BSON once, here.
/// </summary>
internal readonly record struct SourceDocument(string Collection, byte[] Bson);

/// <summary>A source that cannot be read: a usage or source error (exit code 2).</summary>
internal sealed class ImportSourceException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads an MWAP MongoDB export without a MongoDB server, one document at a time (never a whole collection in
/// memory): a <c>mongodump</c> folder (<c>.bson</c>, or <c>.bson.gz</c> from <c>--gzip</c>), a <c>mongodump --archive</c>
/// file (optionally gzipped), or a folder of <c>mongoexport</c> files (Extended JSON, one document a line or a
/// <c>--jsonArray</c>).
/// </summary>
internal static class MwapSource
{
    public static string Describe(string path) =>
        Directory.Exists(path) ? (FindFiles(path, ".bson").Count > 0 ? "mongodump folder" : "mongoexport folder") : "mongodump archive";

    public static IEnumerable<SourceDocument> Read(string path)
    {
        if (Directory.Exists(path))
        {
            var bson = FindFiles(path, ".bson");
            if (bson.Count > 0)
            {
                return bson.SelectMany(f => ReadBsonFile(f.Path, f.Collection));
            }

            var json = FindFiles(path, ".json");
            return json.Count > 0
                ? json.SelectMany(f => ReadJsonFile(f.Path, f.Collection))
                : throw new ImportSourceException($"{path} holds no .bson, .bson.gz or .json collection files (nor a folder of one database with them).");
        }

        return File.Exists(path) ? MongoArchive.Read(path) : throw new ImportSourceException($"{path} does not exist.");
    }

    /// <summary>
    /// Collection files of one database: in the folder itself, or in its one sub-folder (mongodump writes
    /// <c>dump/&lt;db&gt;/&lt;collection&gt;.bson</c>). Metadata files are not collections.
    /// </summary>
    private static List<(string Path, string Collection)> FindFiles(string folder, string extension)
    {
        var found = CollectionFiles(folder, extension);
        if (found.Count > 0)
        {
            return found;
        }

        var databases = Directory.GetDirectories(folder).Where(d => CollectionFiles(d, extension).Count > 0).ToList();
        return databases.Count switch
        {
            0 => [],
            1 => CollectionFiles(databases[0], extension),
            _ => throw new ImportSourceException(
                $"{folder} holds several databases ({string.Join(", ", databases.Select(Path.GetFileName))}); pass the folder of MWAP's one."),
        };
    }

    private static List<(string Path, string Collection)> CollectionFiles(string folder, string extension) =>
    [
        .. Directory.GetFiles(folder)
            .Select(f => (Path: f, Name: Path.GetFileName(f)))
            .Where(f => !f.Name.Contains(".metadata.", StringComparison.Ordinal))
            .Select(f => (f.Path, Collection: f.Name.EndsWith(extension + ".gz", StringComparison.Ordinal) ? f.Name[..^(extension.Length + 3)]
                : f.Name.EndsWith(extension, StringComparison.Ordinal) ? f.Name[..^extension.Length] : null))
            .Where(f => f.Collection is not null)
            .Select(f => (f.Path, f.Collection!))
            .OrderBy(f => f.Item2, StringComparer.Ordinal),
    ];

    internal static Stream OpenMaybeGzip(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        var read = file.Read(magic);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    private static IEnumerable<SourceDocument> ReadBsonFile(string path, string collection)
    {
        using var stream = new BufferedStream(OpenMaybeGzip(path), 1 << 16);
        while (ReadInt32(stream, path, allowEnd: true) is { } length)
        {
            yield return new SourceDocument(collection, ReadRawBody(stream, length, path));
        }
    }

    internal static BsonDocument ReadDocumentBody(Stream stream, int length, string path)
    {
        var bytes = ReadRawBody(stream, length, path);
        try
        {
            return BsonSerializer.Deserialize<BsonDocument>(bytes);
        }
        catch (FormatException e)
        {
            throw new ImportSourceException($"{path}: a damaged BSON document ({e.Message}).", e);
        }
    }

    /// <summary>
    /// A document's bytes (its length already read), unparsed: the staging reads the few fields it needs from them and
    /// checks their layout (<see cref="StagingFields"/>).
    /// </summary>
    internal static byte[] ReadRawBody(Stream stream, int length, string path)
    {
        if (length is < 5 or > 16 * 1024 * 1024)
        {
            throw new ImportSourceException($"{path}: a BSON document of {length} bytes; the file is not BSON or is damaged.");
        }

        var bytes = new byte[length];
        BitConverter.TryWriteBytes(bytes, length);
        stream.ReadExactly(bytes, 4, length - 4);
        return bytes;
    }

    internal static int? ReadInt32(Stream stream, string path, bool allowEnd)
    {
        Span<byte> buffer = stackalloc byte[4];
        var read = stream.ReadAtLeast(buffer, 4, throwOnEndOfStream: false);
        if (read == 0 && allowEnd)
        {
            return null;
        }

        return read == 4 ? BitConverter.ToInt32(buffer) : throw new ImportSourceException($"{path} ends in the middle of a document.");
    }

    private static IEnumerable<SourceDocument> ReadJsonFile(string path, string collection)
    {
        using var text = new StreamReader(OpenMaybeGzip(path));
        if (text.Peek() == '[')
        {
            // --jsonArray: read the array element by element rather than parsing it whole.
            using var reader = new JsonReader(text);
            reader.ReadStartArray();
            while (reader.ReadBsonType() != BsonType.EndOfDocument)
            {
                yield return new SourceDocument(collection, Parse(() => BsonDocumentSerializer.Instance.Deserialize(BsonDeserializationContext.CreateRoot(reader)), path).ToBson());
            }

            yield break;
        }

        var number = 0;
        while (text.ReadLine() is { } line)
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return new SourceDocument(collection, Parse(() => BsonDocument.Parse(line), $"{path} line {number}").ToBson());
            }
        }
    }

    private static BsonDocument Parse(Func<BsonDocument> parse, string where)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is FormatException or BsonException or InvalidOperationException)
        {
            throw new ImportSourceException($"{where}: not Extended JSON ({e.Message}).", e);
        }
    }
}

/// <summary>
/// The <c>mongodump --archive</c> format: a magic number, a header and the collections' metadata documents, a
/// terminator, then segments of documents, each introduced by a namespace header and closed by a terminator
/// (collections interleave when mongodump dumped them in parallel).
/// </summary>
internal static class MongoArchive
{
    private const int MagicNumber = unchecked((int)0x8199e26d);
    private const int Terminator = -1;

    public static IEnumerable<SourceDocument> Read(string path)
    {
        using var stream = new BufferedStream(MwapSource.OpenMaybeGzip(path), 1 << 16);
        if (MwapSource.ReadInt32(stream, path, allowEnd: true) != MagicNumber)
        {
            throw new ImportSourceException($"{path} is neither a folder nor a mongodump archive (no archive magic number).");
        }

        // The header, then the collections' metadata, up to the terminator.
        while (MwapSource.ReadInt32(stream, path, allowEnd: false) is { } length && length != Terminator)
        {
            MwapSource.ReadDocumentBody(stream, length, path);
        }

        while (MwapSource.ReadInt32(stream, path, allowEnd: true) is { } headerLength)
        {
            var header = MwapSource.ReadDocumentBody(stream, headerLength, path);
            var collection = header.GetValue("collection", "").ToString()!;
            while (MwapSource.ReadInt32(stream, path, allowEnd: false) is { } length && length != Terminator)
            {
                yield return new SourceDocument(collection, MwapSource.ReadRawBody(stream, length, path));
            }
        }
    }
}
