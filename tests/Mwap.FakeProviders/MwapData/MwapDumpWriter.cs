using System.IO.Compression;
using MongoDB.Bson;
using MongoDB.Bson.IO;

namespace Mwap.FakeProviders.MwapData;

/// <summary>Writes a dataset in the forms MongoDB's tools produce: a mongodump folder, a mongodump archive, mongoexport files.</summary>
public static class MwapDumpWriter
{
    public const string Database = "mwap";

    /// <summary><c>mongodump --out dir [--gzip]</c>: <c>dir/mwap/&lt;collection&gt;.bson[.gz]</c> and its <c>.metadata.json[.gz]</c>.</summary>
    public static string WriteDumpFolder(MwapDataset dataset, string directory, bool gzip)
    {
        var folder = Path.Combine(directory, Database);
        Directory.CreateDirectory(folder);
        var suffix = gzip ? ".gz" : "";
        foreach (var (collection, documents) in dataset.Collections())
        {
            using (var stream = Open(Path.Combine(folder, collection + ".bson" + suffix), gzip))
            {
                foreach (var document in documents)
                {
                    stream.Write(document.ToBson());
                }
            }

            using var metadata = new StreamWriter(Open(Path.Combine(folder, collection + ".metadata.json" + suffix), gzip));
            metadata.Write(Metadata(collection));
        }

        return directory;
    }

    /// <summary>
    /// <c>mongodump --archive=file [--gzip]</c>: magic number, header, the collections' metadata, a terminator, then
    /// segments of a few documents each, round-robin across collections (as a parallel dump interleaves them), each
    /// closed by a terminator, and an EOF header per collection.
    /// </summary>
    public static string WriteArchive(MwapDataset dataset, string file, bool gzip, int segment = 3)
    {
        var collections = dataset.Collections().ToList();
        using var stream = Open(file, gzip);
        stream.Write(BitConverter.GetBytes(unchecked((int)0x8199e26d)));
        stream.Write(new BsonDocument { ["concurrent_collections"] = 4, ["version"] = "0.1", ["server_version"] = "7.0.12", ["tool_version"] = "100.9.4" }.ToBson());
        foreach (var (collection, _) in collections)
        {
            stream.Write(new BsonDocument { ["db"] = Database, ["collection"] = collection, ["metadata"] = Metadata(collection), ["size"] = 0, ["type"] = "collection" }.ToBson());
        }

        stream.Write(Terminator);
        var open = collections.Select(c => (c.Collection, Documents: c.Documents.GetEnumerator())).ToList();
        while (open.Count > 0)
        {
            foreach (var (collection, documents) in open.ToList())
            {
                var batch = new List<BsonDocument>();
                while (batch.Count < segment && documents.MoveNext())
                {
                    batch.Add(documents.Current);
                }

                if (batch.Count > 0)
                {
                    stream.Write(Header(collection, eof: false));
                    foreach (var document in batch)
                    {
                        stream.Write(document.ToBson());
                    }

                    stream.Write(Terminator);
                }

                if (batch.Count < segment)
                {
                    stream.Write(Header(collection, eof: true));
                    stream.Write(Terminator);
                    documents.Dispose();
                    open.RemoveAll(o => o.Collection == collection);
                }
            }
        }

        return file;
    }

    /// <summary><c>mongoexport --collection c [--jsonArray]</c> per collection, into <c>dir/&lt;collection&gt;.json</c>.</summary>
    public static string WriteExportFolder(MwapDataset dataset, string directory, bool jsonArray, bool canonical)
    {
        Directory.CreateDirectory(directory);
        var settings = new JsonWriterSettings { OutputMode = canonical ? JsonOutputMode.CanonicalExtendedJson : JsonOutputMode.RelaxedExtendedJson, Indent = false };
        foreach (var (collection, documents) in dataset.Collections())
        {
            using var writer = new StreamWriter(Path.Combine(directory, collection + ".json"));
            var first = true;
            if (jsonArray)
            {
                writer.Write('[');
            }

            foreach (var document in documents)
            {
                if (jsonArray && !first)
                {
                    writer.Write(',');
                }

                writer.Write(document.ToJson(settings));
                if (!jsonArray)
                {
                    writer.Write('\n');
                }

                first = false;
            }

            if (jsonArray)
            {
                writer.Write(']');
            }
        }

        return directory;
    }

    private static readonly byte[] Terminator = [0xFF, 0xFF, 0xFF, 0xFF];

    private static byte[] Header(string collection, bool eof) =>
        new BsonDocument { ["db"] = Database, ["collection"] = collection, ["EOF"] = eof, ["CRC"] = 0L }.ToBson();

    private static string Metadata(string collection) =>
        new BsonDocument
        {
            ["indexes"] = new BsonArray { new BsonDocument { ["v"] = 2, ["key"] = new BsonDocument("_id", 1), ["name"] = "_id_" } },
            ["uuid"] = "00000000000000000000000000000000",
            ["collectionName"] = collection,
            ["type"] = "collection",
        }.ToJson(new JsonWriterSettings { OutputMode = JsonOutputMode.CanonicalExtendedJson });

    private static Stream Open(string path, bool gzip)
    {
        Stream file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        return gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
    }
}
