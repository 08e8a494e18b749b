using Microsoft.Data.Sqlite;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace Mwap.Api.Features.Import;

/// <summary>
/// A throw-away SQLite file that regroups the source by tenant. A dump is laid out by collection (and an archive
/// interleaves them), but the import commits one tenant at a time; staging each document once under its tenant's
/// key keeps memory bounded whatever the dump's size, at the cost of one sequential write and read of it on disk.
/// Documents are staged as the dump's own BSON bytes (not parsed and re-serialised), and the tenants are read back in
/// one pass in key order (<see cref="Tenants"/>) rather than one query per tenant.
/// Keys: <c>t:{tenantId}</c>, <c>i:{integrationId}</c> for files that name only their integration, <c>p:</c> for the
/// platform's catalogues and tenant-less audit rows.
/// </summary>
internal sealed class ImportStaging : IDisposable
{
    public const string Platform = "p:";
    public const string PlatformAudit = "a:";
    public const string Orphans = "x:";

    private readonly string _path;
    private readonly SqliteConnection _connection;

    /// <summary>
    /// A second connection for look-ups by key (<see cref="Documents"/>), taken one at a time: the main one holds the
    /// tenants' one-pass cursor open on the producer while the writer may redo a failed batch from the store.
    /// </summary>
    private SqliteConnection? _lookup;

    private readonly Lock _lookupLock = new();
    private SqliteTransaction? _transaction;
    private SqliteCommand? _insert;

    /// <summary>Keys of files filed under their integration (<c>i:</c>): a tenant looks only those up, not one per integration.</summary>
    private readonly HashSet<string> _integrationKeys = new(StringComparer.Ordinal);

    public ImportStaging(string directory)
    {
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, $"mwap-import-{Guid.NewGuid():N}.staging.db");
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE; PRAGMA cache_size=-32768; CREATE TABLE docs (k TEXT NOT NULL, c TEXT NOT NULL, b BLOB NOT NULL);");
        _transaction = _connection.BeginTransaction();
        _insert = _connection.CreateCommand();
        _insert.Transaction = _transaction;
        _insert.CommandText = "INSERT INTO docs (k, c, b) VALUES ($k, $c, $b)";
        _insert.Parameters.Add("$k", SqliteType.Text);
        _insert.Parameters.Add("$c", SqliteType.Text);
        _insert.Parameters.Add("$b", SqliteType.Blob);
        _insert.Prepare();
    }

    public void Add(string key, string collection, byte[] bson)
    {
        if (key.StartsWith("i:", StringComparison.Ordinal))
        {
            _integrationKeys.Add(key);
        }

        _insert!.Parameters[0].Value = key;
        _insert.Parameters[1].Value = collection;
        _insert.Parameters[2].Value = bson;
        _insert.ExecuteNonQuery();
    }

    /// <summary>Ends loading: commits and indexes by key (cheaper after the load than during it).</summary>
    public void Seal()
    {
        _insert?.Dispose();
        _insert = null;
        _transaction?.Commit();
        _transaction = null;
        Execute("CREATE INDEX ix_docs_k ON docs (k)");
    }

    /// <summary>
    /// Every tenant with its documents, in key order (tenant ids are time-ordered ObjectIds, so older tenants go first),
    /// in one pass over the key index: one statement for the whole run instead of one query per tenant. Only one
    /// tenant's documents are in memory at a time; the caller must not use the store for anything else meanwhile
    /// except <see cref="FilesOf"/> from the same flow.
    /// </summary>
    public IEnumerable<(string Key, List<(string Collection, BsonDocument Document)> Documents)> Tenants(string? only)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = only is null
            ? "SELECT k, c, b FROM docs WHERE k >= 't:' AND k < 't;' ORDER BY k, rowid"
            : "SELECT k, c, b FROM docs WHERE k = $k ORDER BY rowid";
        command.Parameters.AddWithValue("$k", only ?? "");
        using var reader = command.ExecuteReader();
        string? key = null;
        var documents = new List<(string, BsonDocument)>();
        while (reader.Read())
        {
            var k = reader.GetString(0);
            if (k != key && key is not null)
            {
                yield return (key, documents);
                documents = [];
            }

            key = k;
            documents.Add((reader.GetString(1), Deserialize((byte[])reader[2])));
        }

        if (key is not null)
        {
            yield return (key, documents);
        }
    }

    /// <summary>Files filed under an integration's key because they named no tenant (none, most of the time: no query then).</summary>
    public List<(string Collection, BsonDocument Document)> FilesOf(string integrationId) =>
        _integrationKeys.Contains("i:" + integrationId) ? Documents("i:" + integrationId) : [];

    public int TenantCount()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT COUNT(DISTINCT k) FROM docs WHERE k >= 't:' AND k < 't;'";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Keys under a prefix other than tenants' (<c>i:</c>, <c>x:</c>), to account for what no tenant claimed.</summary>
    public List<string> KeysWithPrefix(string prefix)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT k FROM docs WHERE substr(k, 1, length($p)) = $p ORDER BY k";
        command.Parameters.AddWithValue("$p", prefix);
        using var reader = command.ExecuteReader();
        var keys = new List<string>();
        while (reader.Read())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    /// <summary>Streams a key's documents (for the tenant-less audit rows, which may be many).</summary>
    public IEnumerable<(string Collection, BsonDocument Document)> Stream(string key)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT c, b FROM docs WHERE k = $k ORDER BY rowid";
        command.Parameters.AddWithValue("$k", key);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return (reader.GetString(0), Deserialize((byte[])reader[1]));
        }
    }

    /// <summary>A key's documents, on the look-up connection (safe next to the tenants' cursor, from any one thread at a time).</summary>
    public List<(string Collection, BsonDocument Document)> Documents(string key)
    {
        lock (_lookupLock)
        {
            if (_lookup is null)
            {
                _lookup = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
                _lookup.Open();
            }

            using var command = _lookup.CreateCommand();
            command.CommandText = "SELECT c, b FROM docs WHERE k = $k ORDER BY rowid";
            command.Parameters.AddWithValue("$k", key);
            using var reader = command.ExecuteReader();
            var result = new List<(string, BsonDocument)>();
            while (reader.Read())
            {
                result.Add((reader.GetString(0), Deserialize((byte[])reader[1])));
            }

            return result;
        }
    }

    /// <summary>A staged document, parsed: the staging checked only its top level, so a damaged inside still fails as a source error.</summary>
    private static BsonDocument Deserialize(byte[] bson)
    {
        try
        {
            return BsonSerializer.Deserialize<BsonDocument>(bson);
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException or BsonException)
        {
            throw new ImportSourceException($"a damaged BSON document ({e.Message}).", e);
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _insert?.Dispose();
        _transaction?.Dispose();
        _lookup?.Dispose();
        _connection.Dispose();
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }
}
