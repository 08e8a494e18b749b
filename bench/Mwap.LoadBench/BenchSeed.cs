using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Mwap.LoadBench;

/// <summary>What the routes read: ids and the tokens of the two users who load them.</summary>
internal sealed record Seed(string TenantId, string IntegrationId, IReadOnlyList<string> ProjectIds, string OwnerToken, string ReaderToken);

/// <summary>
/// Seeds through the API what the API writes (catalogue, tenant, five integrations, 32 projects, members) and writes
/// the file index straight into <c>virtual_files</c> as the sync engine does: a 1,000-file project folder and 99,000
/// more files in 99 sub-folders of it, so the project's search runs over a 100,000-file index.
/// </summary>
internal static class BenchSeed
{
    public const string OwnerSub = "auth0|bench-owner";
    public const string ReaderSub = "auth0|bench-reader";
    public const int Writers = 32;
    public const int ReaderProjects = 20;
    public const int FolderFiles = 1_000;
    public const int IndexFiles = 100_000;

    public static async Task<Seed> RunAsync(string baseUrl, string adminToken, string ownerToken, string readerToken, DbConnection files)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var typeId = await PostAsync(http, adminToken, "/api/v1/project-types", new { name = "Bench type", description = "Load benchmark", configSchema = new { type = "object" }, isActive = true });
        var tenantId = await PostAsync(http, ownerToken, "/api/v1/tenants", new { name = "Bench tenant", settings = new { maxProjects = 100 } });
        var integrationIds = new List<string>();
        foreach (var slug in new[] { "dropbox", "google-drive", "onedrive", "bench-four", "bench-five" })
        {
            var providerId = await PostAsync(http, adminToken, "/api/v1/cloud-providers", new
            {
                name = "Bench " + slug,
                slug,
                scopes = new[] { "files.metadata.read" },
                authUrl = "https://auth.example.com/authorize",
                tokenUrl = "https://auth.example.com/token",
                clientId = "bench-client",
                clientSecret = "bench-secret",
            });
            integrationIds.Add(await PostAsync(http, ownerToken, $"/api/v1/tenants/{tenantId}/integrations", new { providerId }));
        }

        var projectIds = new List<string>();
        for (var i = 0; i < Writers; i++)
        {
            // Project 0 has five members (owner, reader, three more); the reader is in the first 20 projects.
            var members = new List<object>();
            if (i < ReaderProjects)
            {
                members.Add(new { userId = ReaderSub, role = "MEMBER" });
            }

            if (i == 0)
            {
                members.Add(new { userId = "auth0|bench-deputy", role = "DEPUTY" });
                members.Add(new { userId = "auth0|bench-m1", role = "MEMBER" });
                members.Add(new { userId = "auth0|bench-m2", role = "MEMBER" });
            }

            projectIds.Add(await PostAsync(http, ownerToken, "/api/v1/projects", new
            {
                tenantId,
                projectTypeId = typeId,
                cloudIntegrationId = integrationIds[0],
                folderpath = i == 0 ? "/Bench" : $"/Other/{i}",
                name = $"Bench project {i}",
                description = "Load benchmark project",
                config = new { inputFolder = "/in", outputFolder = "/out", retries = 3 },
                members,
            }));
        }

        await WriteIndexAsync(files, tenantId, integrationIds[0]);
        return new Seed(tenantId, integrationIds[0], projectIds, ownerToken, readerToken);
    }

    private static async Task WriteIndexAsync(DbConnection connection, string tenantId, string integrationId)
    {
        var rows = new List<(string Name, string Path, string Parent, bool Folder)> { ("Bench", "/Bench", "", true), ("archive", "/Bench/archive", "/bench", true) };
        for (var i = 0; i < FolderFiles; i++)
        {
            rows.Add(($"photo-{i:0000}.jpg", $"/Bench/photo-{i:0000}.jpg", "/bench", false));
        }

        for (var d = 0; d < (IndexFiles - FolderFiles) / FolderFiles; d++)
        {
            var folder = $"/Bench/archive/d{d:00}";
            rows.Add(($"d{d:00}", folder, "/bench/archive", true));
            for (var i = 0; i < FolderFiles; i++)
            {
                var name = $"doc-{(d * FolderFiles) + i:000000}.pdf";
                rows.Add((name, $"{folder}/{name}", folder.ToLowerInvariant(), false));
            }
        }

        if (connection is NpgsqlConnection postgres)
        {
            await CopyAsync(postgres, rows, tenantId, integrationId);
        }
        else
        {
            await InsertAsync(connection, rows, tenantId, integrationId);
        }

        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
    }

    private static string RowId(int r) => (r + 0x10000000).ToString("x24", CultureInfo.InvariantCulture);

    // PostgreSQL: one binary COPY (100,000 rows in about a second).
    private static async Task CopyAsync(NpgsqlConnection connection, List<(string Name, string Path, string Parent, bool Folder)> rows, string tenantId, string integrationId)
    {
        var now = DateTime.UtcNow;
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY virtual_files (id, tenant_id, integration_id, provider_file_id, name, name_lower, path, path_lower, parent_path_lower, " +
            "mime_type, is_folder, size, modified_time, checksum, sync_generation, indexed_at) FROM STDIN (FORMAT BINARY)");
        for (var r = 0; r < rows.Count; r++)
        {
            var (name, path, parent, folder) = rows[r];
            await writer.StartRowAsync();
            foreach (var text in new[] { RowId(r), tenantId, integrationId, $"id:bench{r}", name, name.ToLowerInvariant(), path, path.ToLowerInvariant(), parent, folder ? "folder" : "image/jpeg" })
            {
                await writer.WriteAsync(text, NpgsqlTypes.NpgsqlDbType.Text);
            }

            await writer.WriteAsync(folder, NpgsqlTypes.NpgsqlDbType.Boolean);
            if (folder)
            {
                await writer.WriteNullAsync();
            }
            else
            {
                await writer.WriteAsync(1000L + r, NpgsqlTypes.NpgsqlDbType.Bigint);
            }

            await writer.WriteAsync(now, NpgsqlTypes.NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(new string('a', 64), NpgsqlTypes.NpgsqlDbType.Text);
            await writer.WriteAsync(1L, NpgsqlTypes.NpgsqlDbType.Bigint);
            await writer.WriteAsync(now, NpgsqlTypes.NpgsqlDbType.TimestampTz);
        }

        await writer.CompleteAsync();
    }

    // SQLite: one prepared insert per row in one transaction.
    private static async Task InsertAsync(DbConnection connection, List<(string Name, string Path, string Parent, bool Folder)> rows, string tenantId, string integrationId)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "INSERT INTO virtual_files (id, tenant_id, integration_id, provider_file_id, name, name_lower, path, path_lower, parent_path_lower, " +
            "mime_type, is_folder, size, modified_time, checksum, sync_generation, indexed_at) " +
            "VALUES (@id, @t, @i, @p, @n, @nl, @path, @pl, @parent, @mime, @folder, @size, @now, @sum, 1, @now)";
        var names = new[] { "id", "t", "i", "p", "n", "nl", "path", "pl", "parent", "mime", "folder", "size", "now", "sum" };
        foreach (var name in names)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            if (name != "now")
            {
                // Typed, so a NULL size binds as bigint; the timestamp is inferred (UTC → timestamptz on PostgreSQL).
                parameter.DbType = name switch { "folder" => DbType.Boolean, "size" => DbType.Int64, _ => DbType.String };
            }

            command.Parameters.Add(parameter);
        }

        command.Parameters["t"].Value = tenantId;
        command.Parameters["i"].Value = integrationId;
        command.Parameters["now"].Value = DateTime.UtcNow;
        command.Parameters["sum"].Value = new string('a', 64);
        await command.PrepareAsync();
        for (var r = 0; r < rows.Count; r++)
        {
            var (name, path, parent, folder) = rows[r];
            command.Parameters["id"].Value = RowId(r);
            command.Parameters["p"].Value = $"id:bench{r}";
            command.Parameters["n"].Value = name;
            command.Parameters["nl"].Value = name.ToLowerInvariant();
            command.Parameters["path"].Value = path;
            command.Parameters["pl"].Value = path.ToLowerInvariant();
            command.Parameters["parent"].Value = parent;
            command.Parameters["mime"].Value = folder ? "folder" : "image/jpeg";
            command.Parameters["folder"].Value = folder;
            command.Parameters["size"].Value = folder ? DBNull.Value : 1000L + r;
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    public static DbConnection Connect(string provider, string connectionString) =>
        provider == "postgres" ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);

    private static async Task<string> PostAsync(HttpClient http, string token, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("data").GetProperty("_id").GetString()!;
    }
}
