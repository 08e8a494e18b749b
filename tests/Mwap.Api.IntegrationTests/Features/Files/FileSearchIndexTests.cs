using System.Net;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using static Mwap.Api.IntegrationTests.Features.Files.FileSyncHarness;

namespace Mwap.Api.IntegrationTests.Features.Files;

/// <summary>
/// Issue 13: a name search reads a trigram index (PostgreSQL's pg_trgm index; on SQLite an FTS5 table kept by
/// triggers). Whatever a sync adds, renames or removes is found, or no longer found, by the next search, and the
/// term is never query syntax.
/// </summary>
public sealed class FileSearchIndexTests(FileSyncApiFactory factory) : IClassFixture<FileSyncApiFactory>
{
    [Fact]
    public async Task Search_FollowsEverySync_AndTakesAnyTermLiterally()
    {
        var connection = await ConnectAsync(factory, FakeProvider.Dropbox);
        var drive = State(factory, FakeProvider.Dropbox).Files;
        var folder = drive.AddFolder("/Search");
        var photo = drive.AddFile(folder, "Holiday-Photo.jpg", new byte[1]);
        var notes = drive.AddFile(folder, "holiday notes.txt", new byte[1]);
        drive.AddFile(folder, "other.txt", new byte[1]);
        drive.AddFile(folder, "quote\"d %_ name.txt", new byte[1]);
        await SyncOkAsync(factory, connection.IntegrationId, full: true);
        var url = $"/api/v1/projects/{await CreateProjectAsync(connection, "/Search")}/files?limit=100&search=";

        Assert.Equal(["Holiday-Photo.jpg", "holiday notes.txt"], await NamesAsync(connection, url + "HOLIDAY"));
        Assert.Equal(["Holiday-Photo.jpg", "holiday notes.txt"], await NamesAsync(connection, url + "li")); // shorter than a trigram
        Assert.Equal(["quote\"d %_ name.txt"], await NamesAsync(connection, url + Uri.EscapeDataString("e\"d %_ n")));
        Assert.Empty(await NamesAsync(connection, url + Uri.EscapeDataString("\" OR \"")));
        Assert.Empty(await NamesAsync(connection, url + Uri.EscapeDataString("hol*")));

        // A rename, a delete and a new file, picked up by an incremental sync.
        drive.Rename(photo, "Trip.jpg");
        drive.Delete(notes);
        drive.AddFile(folder, "holiday plan.txt", new byte[1]);
        await SyncOkAsync(factory, connection.IntegrationId);
        Assert.Equal(["holiday plan.txt"], await NamesAsync(connection, url + "holiday"));
        Assert.Equal(["Trip.jpg"], await NamesAsync(connection, url + "trip"));

        if (!factory.Database.IsPostgres)
        {
            // FTS5's own check that the index holds exactly the table's rows (it fails the statement otherwise).
            await factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
                "INSERT INTO virtual_files_name_fts(virtual_files_name_fts, rank) VALUES ('integrity-check', 1)"));
        }
    }

    [Fact]
    public async Task ASearchPagedByCursor_ReturnsEveryMatchOnce_InNameOrder_FromTheProjectFolderOnly()
    {
        // The first page of a search by name takes a compiled query on PostgreSQL, the next pages the general one:
        // together they must be the same list as one big page, and a project on a sub-folder sees only its files.
        var connection = await ConnectAsync(factory, FakeProvider.Dropbox);
        var drive = State(factory, FakeProvider.Dropbox).Files;
        var root = drive.AddFolder("/Paged");
        var inner = drive.AddFolder(root, "Inner");
        var outside = drive.AddFolder("/Elsewhere");
        for (var i = 0; i < 7; i++)
        {
            drive.AddFile(i % 2 == 0 ? root : inner, $"report-{i:D2}.txt", new byte[1]);
        }

        drive.AddFile(outside, "report-99.txt", new byte[1]);
        await SyncOkAsync(factory, connection.IntegrationId, full: true);
        var url = $"/api/v1/projects/{await CreateProjectAsync(connection, "/Paged")}/files?search=REPORT";

        var whole = await connection.Owner.GetAsync(url + "&limit=100").ReadPageAsync();
        var paged = new List<string>();
        string? cursor = null;
        do
        {
            var page = await connection.Owner.GetAsync(url + "&limit=3" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))).ReadPageAsync();
            paged.AddRange(page.Names);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        string[] expected = [.. Enumerable.Range(0, 7).Select(i => $"report-{i:D2}.txt")];
        Assert.Equal(expected, whole.Names);
        Assert.Equal(expected, paged);
    }

    private async Task<string> CreateProjectAsync(Connection connection, string folder)
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var typeId = (await admin.CreateProjectTypeAsync()).GetProperty("_id").GetString()!;
        var created = await connection.Owner.PostJsonAsync("/api/v1/projects", new
        {
            tenantId = connection.TenantId,
            projectTypeId = typeId,
            cloudIntegrationId = connection.IntegrationId,
            folderpath = folder,
            name = TestUsers.UniqueName("Project"),
        }).ReadDataAsync(HttpStatusCode.Created);
        return created.GetProperty("_id").GetString()!;
    }

    private static async Task<List<string>> NamesAsync(Connection connection, string url) =>
        [.. (await connection.Owner.GetAsync(url).ReadDataAsync()).EnumerateArray().Select(f => f.GetProperty("name").GetString()!)
            .Order(StringComparer.Ordinal)];

}

internal static class FileSearchPageReading
{
    public static async Task<(List<string> Names, string? NextCursor)> ReadPageAsync(this Task<HttpResponseMessage> response)
    {
        var message = await response;
        Assert.Equal(HttpStatusCode.OK, message.StatusCode);
        using var body = System.Text.Json.JsonDocument.Parse(await message.Content.ReadAsStringAsync());
        var names = body.RootElement.GetProperty("data").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToList();
        var next = body.RootElement.TryGetProperty("nextCursor", out var c) && c.ValueKind == System.Text.Json.JsonValueKind.String ? c.GetString() : null;
        return (names, next);
    }
}
