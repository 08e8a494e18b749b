using System.Data.Common;
using System.Text;
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
/// UPDATE</c>, <c>substr</c>, <c>||</c>), inside the caller's transaction. EF's change tracker would cost more than the
/// provider calls at 1,000 rows a page.
/// </summary>
internal sealed class FileIndexStore(MwapDbContext db, TimeProvider time)
{
    private const int RowsPerStatement = 400;
    private const int IdsPerLookup = 500;

    private static readonly string[] Columns =
    [
        "id", "tenant_id", "integration_id", "provider_file_id", "parent_provider_id", "name", "name_lower", "path", "path_lower",
        "parent_path_lower", "mime_type", "is_folder", "size", "modified_time", "checksum", "sync_generation", "indexed_at",
    ];

    private static readonly string UpsertTail = " ON CONFLICT (tenant_id, integration_id, provider_file_id) DO UPDATE SET " +
        string.Join(", ", Columns.Skip(4).Select(c => $"{c} = excluded.{c}"));

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

    public async Task UpsertAsync(string tenantId, string integrationId, IReadOnlyList<IndexedRow> rows, long generation, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            await using var command = await CommandAsync(cancellationToken);
            var sql = new StringBuilder("INSERT INTO virtual_files (").AppendJoin(", ", Columns).Append(") VALUES ");
            for (var r = 0; r < chunk.Length; r++)
            {
                var row = chunk[r];
                sql.Append(r == 0 ? "(" : ", (");
                object?[] values =
                [
                    ObjectId.NewId(), tenantId, integrationId, row.ProviderFileId, row.ParentProviderId, row.Name, row.Name.ToLowerInvariant(),
                    row.Path, row.PathLower, row.ParentPathLower, row.MimeType, row.IsFolder, row.Size, row.ModifiedTime, row.Checksum, generation, now,
                ];
                for (var c = 0; c < values.Length; c++)
                {
                    var name = $"@p{r}_{c}";
                    sql.Append(c == 0 ? name : ", " + name);
                    Add(command, name, values[c]);
                }

                sql.Append(')');
            }

            command.CommandText = sql.Append(UpsertTail).ToString();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Removes an item and everything below it; returns the number of rows removed.</summary>
    public Task<int> RemoveSubtreeAsync(string tenantId, string integrationId, string? providerFileId, string? pathLower, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        if (providerFileId is not null)
        {
            where.Add("provider_file_id = @id");
            parameters.Add(("@id", providerFileId));
        }

        if (pathLower is not null)
        {
            where.Add("path_lower = @path OR substr(path_lower, 1, @prefixLength) = @prefix");
            parameters.Add(("@path", pathLower));
            parameters.Add(("@prefix", pathLower + "/"));
            parameters.Add(("@prefixLength", CharLength(pathLower) + 1));
        }

        return where.Count == 0
            ? Task.FromResult(0)
            : ExecuteAsync($"DELETE FROM virtual_files WHERE tenant_id = @t AND integration_id = @i AND ({string.Join(" OR ", where)})",
                tenantId, integrationId, parameters, cancellationToken);
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
    public Task<int> RemoveStaleAsync(string tenantId, string integrationId, long generation, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM virtual_files WHERE tenant_id = @t AND integration_id = @i AND sync_generation < @g",
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
