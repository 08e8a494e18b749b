using System.Collections.Concurrent;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Mwap.Api.Features.Import;

/// <summary>
/// Inserts new rows of one entity type without the change tracker, inside the context's open transaction: PostgreSQL's
/// binary <c>COPY … FROM STDIN</c>, or on SQLite prepared multi-row <c>INSERT</c>s. Columns, value conversions and
/// store types come from the EF model, so a column added to an entity is written here without a change. For rows that
/// do not exist yet only: updates stay with the change tracker (versions, the interceptor's timestamps).
/// </summary>
internal static class BulkInsert
{
    /// <summary>Rows per SQLite statement: enough to amortise the statement, few enough to keep parameter binding cheap.</summary>
    private const int SqliteRowsPerStatement = 25;

    private static readonly ConcurrentDictionary<(IEntityType, bool), Table> Tables = new();

    /// <summary>Writes the rows; returns the table's name.</summary>
    public static async Task<string> WriteAsync(DbContext db, Type clrType, IReadOnlyList<object> rows, CancellationToken cancellationToken)
    {
        var entityType = db.Model.FindEntityType(clrType) ?? throw new InvalidOperationException($"{clrType.Name} is not in the model");
        var connection = db.Database.GetDbConnection();
        var postgres = connection is NpgsqlConnection;
        var table = Tables.GetOrAdd((entityType, postgres), static key => Table.Of(key.Item1, key.Item2));
        if (connection is NpgsqlConnection npgsql)
        {
            await CopyAsync(npgsql, table, rows, cancellationToken);
        }
        else
        {
            await InsertAsync((SqliteConnection)connection, db.Database.CurrentTransaction?.GetDbTransaction() as SqliteTransaction, table, rows, cancellationToken);
        }

        return table.Name;
    }

    private static async Task CopyAsync(NpgsqlConnection connection, Table table, IReadOnlyList<object> rows, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", table.Columns.Select(c => Quote(c.Name)));
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {Quote(table.Name)} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        // Synchronous writes: they fill Npgsql's buffer and only block when it flushes, where an await per value
        // costs more than the value (a batch is ~10,000 rows × ~15 columns).
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            importer.StartRow();
            foreach (var column in table.Columns)
            {
                if (column.Read(row) is { } value)
                {
                    importer.Write(value, column.PostgresType);
                }
                else
                {
                    importer.WriteNull();
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private static async Task InsertAsync(SqliteConnection connection, SqliteTransaction? transaction, Table table, IReadOnlyList<object> rows, CancellationToken cancellationToken)
    {
        var full = rows.Count / SqliteRowsPerStatement;
        var rest = rows.Count % SqliteRowsPerStatement;
        var done = 0;
        if (full > 0)
        {
            await using var many = Prepare(connection, transaction, table, SqliteRowsPerStatement);
            for (var i = 0; i < full; i++, done += SqliteRowsPerStatement)
            {
                Bind(many, table, rows, done, SqliteRowsPerStatement);
                await many.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        if (rest > 0)
        {
            await using var last = Prepare(connection, transaction, table, rest);
            Bind(last, table, rows, done, rest);
            await last.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction? transaction, Table table, int rowCount)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder($"INSERT INTO {Quote(table.Name)} ({string.Join(", ", table.Columns.Select(c => Quote(c.Name)))}) VALUES ");
        for (var r = 0; r < rowCount; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < table.Columns.Count; c++)
            {
                var name = $"$p{r}_{c}";
                sql.Append(c == 0 ? name : ", " + name);
                command.Parameters.Add(table.Columns[c].Mapping.CreateParameter(command, name, null));
            }

            sql.Append(')');
        }

        command.CommandText = sql.ToString();
        command.Prepare();
        return command;
    }

    private static void Bind(SqliteCommand command, Table table, IReadOnlyList<object> rows, int start, int count)
    {
        var index = 0;
        for (var r = start; r < start + count; r++)
        {
            foreach (var column in table.Columns)
            {
                command.Parameters[index++].Value = column.Read(rows[r]) ?? DBNull.Value;
            }
        }
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private sealed record Table(string Name, IReadOnlyList<Column> Columns)
    {
        public static Table Of(IEntityType type, bool postgres)
        {
            var name = type.GetTableName() ?? throw new InvalidOperationException($"{type.DisplayName()} has no table");
            var store = StoreObjectIdentifier.Table(name, type.GetSchema());
            var columns = type.GetFlattenedProperties()
                .Where(p => p.GetComputedColumnSql(store) is null)
                .Select(p => Column.Of(p, store, postgres))
                .ToList();
            return new Table(name, columns);
        }
    }

    private sealed record Column(string Name, IClrPropertyGetter Getter, RelationalTypeMapping Mapping, NpgsqlDbType PostgresType)
    {
        public static Column Of(IProperty property, StoreObjectIdentifier store, bool postgres)
        {
            var mapping = property.GetRelationalTypeMapping();
            return new Column(property.GetColumnName(store)!, property.GetGetter(), mapping,
                postgres ? PostgresTypeOf(property.GetColumnType(store)) : NpgsqlDbType.Unknown);
        }

        /// <summary>The row's value as the database stores it (after the model's value converter), or null.</summary>
        public object? Read(object row)
        {
            var value = Getter.GetClrValueUsingContainingEntity(row);
            return value is null ? null : Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
        }

        /// <summary>The store types this model uses; anything else fails loudly here rather than writing a wrong binary form.</summary>
        private static NpgsqlDbType PostgresTypeOf(string storeType)
        {
            var array = storeType.EndsWith("[]", StringComparison.Ordinal);
            var bare = array ? storeType[..^2] : storeType;
            var facets = bare.IndexOf('(', StringComparison.Ordinal);
            var type = (facets >= 0 ? bare[..facets] : bare).Trim() switch
            {
                "character varying" => NpgsqlDbType.Varchar,
                "text" => NpgsqlDbType.Text,
                "timestamp with time zone" => NpgsqlDbType.TimestampTz,
                "integer" => NpgsqlDbType.Integer,
                "bigint" => NpgsqlDbType.Bigint,
                "smallint" => NpgsqlDbType.Smallint,
                "boolean" => NpgsqlDbType.Boolean,
                "date" => NpgsqlDbType.Date,
                "uuid" => NpgsqlDbType.Uuid,
                "double precision" => NpgsqlDbType.Double,
                "jsonb" => NpgsqlDbType.Jsonb,
                _ => throw new NotSupportedException($"bulk insert: store type '{storeType}' is not mapped"),
            };
            return array ? NpgsqlDbType.Array | type : type;
        }
    }
}

/// <summary>Rows a batch of tenants inserts, in foreign-key order, written by <see cref="BulkInsert"/> in one go.</summary>
internal static class InsertOrder
{
    public static readonly Type[] Types =
    [
        typeof(Tenants.Tenant), typeof(Integrations.CloudIntegration), typeof(Projects.Project), typeof(Projects.ProjectMember),
        typeof(Files.VirtualFile), typeof(AuditLog.AuditLogEntry), typeof(ImportRecord),
    ];
}
