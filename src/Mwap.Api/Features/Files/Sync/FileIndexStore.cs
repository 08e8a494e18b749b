using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Files.Sync;

/// <summary>A row ready to be written: its path is resolved.</summary>
internal sealed record IndexedRow(string ProviderFileId, string? ParentProviderId, string Name, string Path, string PathLower,
    string ParentPathLower, string MimeType, bool IsFolder, long? Size, DateTime? ModifiedTime, string? Checksum);

/// <summary>What the index holds for an item: enough to place its children and to notice a folder moving.</summary>
internal readonly record struct KnownItem(string Path, string PathLower, bool IsFolder);

/// <summary>
/// The sync engine's writes, in set-based SQL that runs on SQLite and PostgreSQL alike (<c>INSERT … ON CONFLICT DO
/// UPDATE</c>, <c>substr</c>, <c>||</c>), inside the caller's transaction; only the bulk upsert differs per database. EF's change tracker would cost more than the
/// provider calls at 1,000 rows a page.
/// </summary>
internal sealed class FileIndexStore(MwapDbContext db, TimeProvider time)
{
    private const int IdsPerLookup = 500;

    private static readonly string[] Columns =
    [
        "id", "tenant_id", "integration_id", "provider_file_id", "parent_provider_id", "name", "name_lower", "path", "path_lower",
        "parent_path_lower", "mime_type", "is_folder", "size", "modified_time", "checksum", "sync_generation", "indexed_at",
    ];

    private static readonly string UpsertTail = " ON CONFLICT (tenant_id, integration_id, provider_file_id) DO UPDATE SET " +
        string.Join(", ", Columns.Skip(4).Select(c => $"{c} = excluded.{c}"));

    private static readonly string SingleRowUpsertSql = "INSERT INTO virtual_files (" + string.Join(", ", Columns) + ") VALUES (" +
        string.Join(", ", Columns.Select((_, c) => "@c" + c.ToString(CultureInfo.InvariantCulture))) + ")" + UpsertTail;

    // Arrays typed explicitly, so that an all-null column (no checksums on a page) still has a type.
    private static readonly string UnnestUpsertSql = "INSERT INTO virtual_files (" + string.Join(", ", Columns) + ") " +
        "SELECT u.id, @t, @i, u.pid, u.parent, u.name, u.name_lower, u.path, u.path_lower, u.parent_path_lower, u.mime, u.folder, u.size, " +
        "u.modified, u.checksum, @g, @now FROM unnest(@ids::text[], @pids::text[], @parents::text[], @names::text[], @namesLower::text[], " +
        "@paths::text[], @pathsLower::text[], @parentPaths::text[], @mimes::text[], @folders::boolean[], @sizes::bigint[], " +
        "@modified::timestamptz[], @checksums::text[]) AS u(id, pid, parent, name, name_lower, path, path_lower, parent_path_lower, mime, " +
        "folder, size, modified, checksum)" + UpsertTail;

    public async Task<Dictionary<string, KnownItem>> LookupAsync(string tenantId, string integrationId, IEnumerable<string> providerIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, KnownItem>(StringComparer.Ordinal);
        foreach (var chunk in providerIds.Distinct(StringComparer.Ordinal).Chunk(IdsPerLookup))
        {
            var rows = await db.Set<VirtualFile>().AsNoTracking()
                .Where(f => f.TenantId == tenantId && f.IntegrationId == integrationId && chunk.Contains(f.ProviderFileId) && f.Path != null)
                .Select(f => new { f.ProviderFileId, f.Path, f.PathLower, f.IsFolder })
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                result[row.ProviderFileId] = new KnownItem(row.Path!, row.PathLower!, row.IsFolder);
            }
        }

        return result;
    }

    /// <summary>
    /// Inserts or updates rows by provider id. PostgreSQL: one statement per call, the columns sent as arrays and
    /// expanded with <c>unnest</c> (17 parameters whatever the row count). SQLite: one prepared single-row statement
    /// executed per row — SQLite runs in-process, so a statement costs microseconds, and a many-parameter statement
    /// costs more to bind than it saves.
    /// </summary>
    public async Task UpsertAsync(string tenantId, string integrationId, IReadOnlyList<IndexedRow> rows, long generation, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var command = await CommandAsync(cancellationToken);
        if (!db.Database.IsSqlite())
        {
            command.CommandText = UnnestUpsertSql;
            var count = rows.Count;
            var ids = new string[count];
            for (var r = 0; r < count; r++)
            {
                ids[r] = ObjectId.NewId();
            }

            Add(command, "@t", tenantId);
            Add(command, "@i", integrationId);
            Add(command, "@g", generation);
            Add(command, "@now", now);
            Add(command, "@ids", ids);
            Add(command, "@pids", Column(rows, r => r.ProviderFileId));
            Add(command, "@parents", Column(rows, r => r.ParentProviderId));
            Add(command, "@names", Column(rows, r => r.Name));
            Add(command, "@namesLower", Column(rows, r => r.Name.ToLowerInvariant()));
            Add(command, "@paths", Column(rows, r => r.Path));
            Add(command, "@pathsLower", Column(rows, r => r.PathLower));
            Add(command, "@parentPaths", Column(rows, r => r.ParentPathLower));
            Add(command, "@mimes", Column(rows, r => r.MimeType));
            Add(command, "@folders", Column(rows, r => r.IsFolder));
            Add(command, "@sizes", Column(rows, r => r.Size));
            Add(command, "@modified", Column(rows, r => r.ModifiedTime));
            Add(command, "@checksums", Column(rows, r => r.Checksum));
            await command.ExecuteNonQueryAsync(cancellationToken);
            return;
        }

        command.CommandText = SingleRowUpsertSql;
        var parameters = new DbParameter[Columns.Length];
        for (var c = 0; c < Columns.Length; c++)
        {
            parameters[c] = command.CreateParameter();
            parameters[c].ParameterName = "@c" + c.ToString(CultureInfo.InvariantCulture);
            command.Parameters.Add(parameters[c]);
        }

        parameters[1].Value = tenantId;
        parameters[2].Value = integrationId;
        parameters[15].Value = generation;
        parameters[16].Value = now;
        foreach (var row in rows)
        {
            parameters[0].Value = ObjectId.NewId();
            parameters[3].Value = row.ProviderFileId;
            parameters[4].Value = (object?)row.ParentProviderId ?? DBNull.Value;
            parameters[5].Value = row.Name;
            parameters[6].Value = row.Name.ToLowerInvariant();
            parameters[7].Value = row.Path;
            parameters[8].Value = row.PathLower;
            parameters[9].Value = row.ParentPathLower;
            parameters[10].Value = row.MimeType;
            parameters[11].Value = row.IsFolder;
            parameters[12].Value = (object?)row.Size ?? DBNull.Value;
            parameters[13].Value = (object?)row.ModifiedTime ?? DBNull.Value;
            parameters[14].Value = (object?)row.Checksum ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static T[] Column<T>(IReadOnlyList<IndexedRow> rows, Func<IndexedRow, T> value)
    {
        var column = new T[rows.Count];
        for (var r = 0; r < column.Length; r++)
        {
            column[r] = value(rows[r]);
        }

        return column;
    }

    /// <summary>
    /// Removes an item and everything below it; returns the number of rows removed. The item's own row goes first,
    /// through the unique and path indexes; the prefix scan for descendants (which no index serves under every
    /// collation) runs only when that row was a folder or was not there.
    /// </summary>
    public async Task<int> RemoveSubtreeAsync(string tenantId, string integrationId, string? providerFileId, string? pathLower, CancellationToken cancellationToken)
    {
        if (providerFileId is null && pathLower is null)
        {
            return 0;
        }

        var removed = 0;
        var folder = false;
        await using (var command = await CommandAsync(cancellationToken))
        {
            var where = new List<string>();
            if (providerFileId is not null)
            {
                where.Add("provider_file_id = @id");
                Add(command, "@id", providerFileId);
            }

            if (pathLower is not null)
            {
                where.Add("path_lower = @path");
                Add(command, "@path", pathLower);
            }

            command.CommandText = $"DELETE FROM virtual_files WHERE tenant_id = @t AND integration_id = @i AND ({string.Join(" OR ", where)}) RETURNING is_folder";
            Add(command, "@t", tenantId);
            Add(command, "@i", integrationId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                removed++;
                folder |= reader.GetBoolean(0);
            }
        }

        if (pathLower is null || (removed > 0 && !folder))
        {
            return removed;
        }

        return removed + await ExecuteAsync(
            "DELETE FROM virtual_files WHERE tenant_id = @t AND integration_id = @i AND substr(path_lower, 1, @prefixLength) = @prefix",
            tenantId, integrationId, [("@prefix", pathLower + "/"), ("@prefixLength", CharLength(pathLower) + 1)], cancellationToken);
    }

    /// <summary>Dropbox: an item written at a path replaces whatever other item was there.</summary>
    public Task<int> RemoveOthersAtPathAsync(string tenantId, string integrationId, string pathLower, string providerFileId, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM virtual_files WHERE tenant_id = @t AND integration_id = @i AND path_lower = @path AND provider_file_id <> @id",
            tenantId, integrationId, [("@path", pathLower), ("@id", providerFileId)], cancellationToken);

    /// <summary>A folder moved or was renamed: every row below it gets the new prefix (providers do not re-emit descendants).</summary>
    public Task<int> MoveSubtreeAsync(string tenantId, string integrationId, string oldPathLower, string newPath, string newPathLower, CancellationToken cancellationToken)
    {
        var cut = CharLength(oldPathLower) + 1;
        return ExecuteAsync(
            "UPDATE virtual_files SET path = @newPath || substr(path, @cut), path_lower = @newLower || substr(path_lower, @cut), " +
            "parent_path_lower = @newLower || substr(parent_path_lower, @cut) " +
            "WHERE tenant_id = @t AND integration_id = @i AND substr(path_lower, 1, @cut) = @prefix",
            tenantId, integrationId,
            [("@newPath", newPath), ("@newLower", newPathLower), ("@cut", cut), ("@prefix", oldPathLower + "/")], cancellationToken);
    }

    /// <summary>After a full sync: every row the sync did not see is gone at the provider.</summary>
    /// <summary>
    /// Deletes rows a full sync of <paramref name="generation"/> did not see, only while that generation is still the
    /// integration's current one: a full sync that a newer one superseded must not delete the newer one's rows.
    /// </summary>
    public Task<int> RemoveStaleAsync(string tenantId, string integrationId, long generation, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM virtual_files WHERE tenant_id = @t AND integration_id = @i AND sync_generation < @g " +
            "AND EXISTS (SELECT 1 FROM cloud_integrations WHERE id = @i AND sync_generation = @g)",
            tenantId, integrationId, [("@g", generation)], cancellationToken);

    public Task<int> CountAsync(string tenantId, string integrationId, CancellationToken cancellationToken) =>
        db.Set<VirtualFile>().CountAsync(f => f.TenantId == tenantId && f.IntegrationId == integrationId, cancellationToken);

    /// <summary>Characters as both databases count them (code points), so <c>substr</c> offsets match.</summary>
    private static int CharLength(string value) => value.EnumerateRunes().Count();

    private async Task<int> ExecuteAsync(string sql, string tenantId, string integrationId, IEnumerable<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(cancellationToken);
        command.CommandText = sql;
        Add(command, "@t", tenantId);
        Add(command, "@i", integrationId);
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<DbCommand> CommandAsync(CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
