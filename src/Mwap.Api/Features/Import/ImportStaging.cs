using Microsoft.Data.Sqlite;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace Mwap.Api.Features.Import;

/// <summary>
/// A throw-away SQLite file that regroups the source by tenant. A dump is laid out by collection (and an archive
/// interleaves them), but the import commits one tenant at a time; staging each document once under its tenant's
/// key keeps memory bounded whatever the dump's size, at the cost of one sequential write and read of it on disk.
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
    private SqliteTransaction? _transaction;
    private SqliteCommand? _insert;

    public ImportStaging(string directory)
    {
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, $"mwap-import-{Guid.NewGuid():N}.staging.db");
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE; CREATE TABLE docs (k TEXT NOT NULL, c TEXT NOT NULL, b BLOB NOT NULL);");
        _transaction = _connection.BeginTransaction();
        _insert = _connection.CreateCommand();
        _insert.Transaction = _transaction;
        _insert.CommandText = "INSERT INTO docs (k, c, b) VALUES ($k, $c, $b)";
        _insert.Parameters.Add("$k", SqliteType.Text);
        _insert.Parameters.Add("$c", SqliteType.Text);
        _insert.Parameters.Add("$b", SqliteType.Blob);
        _insert.Prepare();
    }

    public void Add(string key, string collection, BsonDocument document)
    {
        _insert!.Parameters[0].Value = key;
        _insert.Parameters[1].Value = collection;
        _insert.Parameters[2].Value = document.ToBson();
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

    /// <summary>Every tenant key, in order (tenant ids are time-ordered ObjectIds, so older tenants go first).</summary>
    public IEnumerable<string> TenantKeys()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT k FROM docs WHERE k >= 't:' AND k < 't;' ORDER BY k";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return reader.GetString(0);
        }
    }

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
            yield return (reader.GetString(0), BsonSerializer.Deserialize<BsonDocument>((byte[])reader[1]));
        }
    }

    public List<(string Collection, BsonDocument Document)> Documents(string key)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT c, b FROM docs WHERE k = $k ORDER BY rowid";
        command.Parameters.AddWithValue("$k", key);
        using var reader = command.ExecuteReader();
        var result = new List<(string, BsonDocument)>();
        while (reader.Read())
        {
            result.Add((reader.GetString(0), BsonSerializer.Deserialize<BsonDocument>((byte[])reader[1])));
        }

        return result;
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
        _connection.Dispose();
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }
}
