using System.Net;
using System.Text.Json;
using Mwap.Api.IntegrationTests.Features.Files;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using static Mwap.Api.IntegrationTests.Features.Files.FileSyncHarness;

namespace Mwap.Api.IntegrationTests.Features.Providers;

/// <summary>
/// Issue 12 item 4 (shortcuts): a Drive shortcut to a file lists and downloads as its target (exported when the target is
/// a Google-native document); a shortcut to a folder lists as a folder whose live listing shows the target's children,
/// and the sync does not walk into it.
/// </summary>
public sealed class DriveShortcutTests(FileSyncApiFactory factory) : IClassFixture<FileSyncApiFactory>
{
    private const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    [Fact]
    public async Task Shortcuts_ResolveToTheirTargets()
    {
        var connection = await ConnectAsync(factory, FakeProvider.Google);
        var files = factory.Fake.Google.Files;
        var elsewhere = files.AddFolder("/Elsewhere");
        var report = files.AddFile(elsewhere, "report.txt");
        var plan = files.AddFile(elsewhere, "Plan", mimeType: "application/vnd.google-apps.document");
        var docs = files.AddFolder("/Projects/Docs");
        files.AddFile(docs, "real.txt");
        files.AddShortcut(docs, report, "Report link");
        files.AddShortcut(docs, plan, "Plan link");
        files.AddShortcut(docs, elsewhere, "Elsewhere link");
        await SyncOkAsync(factory, connection.IntegrationId);
        var filesUrl = await ProjectOnAsync(connection, "/Projects/Docs");

        var listed = await ListAsync(connection.Owner, filesUrl);
        Assert.Equal("text/plain", listed["Report link"].GetProperty("type").GetString());
        Assert.False(listed["Report link"].GetProperty("isFolder").GetBoolean());
        Assert.Equal("application/vnd.google-apps.document", listed["Plan link"].GetProperty("type").GetString());
        Assert.True(listed["Elsewhere link"].GetProperty("isFolder").GetBoolean());

        Assert.Equal("Fake content of report.txt\n", await DownloadAsync(connection, $"{filesUrl}/{Id(listed["Report link"])}/download"));
        Assert.Equal($"Plan exported as {Docx}\n", await DownloadAsync(connection, $"{filesUrl}/{Id(listed["Plan link"])}/download"));

        // The sync does not walk into a shortcut folder (shortcuts can form cycles); a live listing shows the target's children.
        Assert.Empty(await ListAsync(connection.Owner, $"{filesUrl}?path={Uri.EscapeDataString("Elsewhere link")}"));
        var live = await ListAsync(connection.Owner, $"{filesUrl}?live=true&path={Uri.EscapeDataString("Elsewhere link")}");
        Assert.Equal(["Plan", "report.txt"], live.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("/Projects/Docs/Elsewhere link/report.txt", live["report.txt"].GetProperty("path").GetString());
    }

    private static string Id(JsonElement file) => file.GetProperty("_id").GetString()!;

    private async Task<string> DownloadAsync(Connection connection, string url)
    {
        var link = await connection.Owner.GetAsync(url).ReadDataAsync();
        var content = await factory.CreateClient().GetAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        return await content.Content.ReadAsStringAsync();
    }

    private async Task<string> ProjectOnAsync(Connection connection, string folder)
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var typeId = (await admin.CreateProjectTypeAsync()).GetProperty("_id").GetString()!;
        var projectId = (await connection.Owner.PostJsonAsync("/api/v1/projects", new
        {
            tenantId = connection.TenantId,
            projectTypeId = typeId,
            cloudIntegrationId = connection.IntegrationId,
            folderpath = folder,
            name = TestUsers.UniqueName("Project"),
        }).ReadDataAsync(HttpStatusCode.Created)).GetProperty("_id").GetString()!;
        return $"/api/v1/projects/{projectId}/files";
    }

    private static async Task<Dictionary<string, JsonElement>> ListAsync(HttpClient owner, string url)
    {
        var response = await owner.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("data").EnumerateArray()
            .ToDictionary(f => f.GetProperty("name").GetString()!, f => f.Clone());
    }
}
