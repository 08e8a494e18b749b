using System.Net;
using System.Text.Json;
using Mwap.Api.IntegrationTests.Features.Files;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using static Mwap.Api.IntegrationTests.Features.Files.FileSyncHarness;

namespace Mwap.Api.IntegrationTests.Features.Providers;

/// <summary>Issue 12 item 4: Google Docs-editor files download through Drive's export, in a chosen or default format.</summary>
public sealed class DriveExportTests(FileSyncApiFactory factory) : IClassFixture<FileSyncApiFactory>
{
    private const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    [Fact]
    public async Task NativeFiles_DownloadAsTheirDefaultOrChosenFormat_AndTooLargeExportsAre409()
    {
        var connection = await ConnectAsync(factory, FakeProvider.Google);
        var fake = factory.Fake.Google;
        var folder = fake.Files.AddFolder("/Projects/Docs");
        fake.Files.AddFile(folder, "Plan", mimeType: "application/vnd.google-apps.document");
        var sheet = fake.Files.AddFile(folder, "Budget", mimeType: "application/vnd.google-apps.spreadsheet");
        fake.Files.AddFile(folder, "Survey", mimeType: "application/vnd.google-apps.form");
        fake.MakeExportTooLarge(sheet.Id);
        await SyncOkAsync(factory, connection.IntegrationId);
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var typeId = (await admin.CreateProjectTypeAsync()).GetProperty("_id").GetString()!;
        var projectId = (await connection.Owner.PostJsonAsync("/api/v1/projects", new
        {
            tenantId = connection.TenantId,
            projectTypeId = typeId,
            cloudIntegrationId = connection.IntegrationId,
            folderpath = "/Projects/Docs",
            name = TestUsers.UniqueName("Project"),
        }).ReadDataAsync(HttpStatusCode.Created)).GetProperty("_id").GetString()!;
        var filesUrl = $"/api/v1/projects/{projectId}/files";
        var ids = await IdsAsync(connection.Owner, filesUrl);

        var link = await connection.Owner.GetAsync($"{filesUrl}/{ids["Plan"]}/download").ReadDataAsync();
        Assert.Equal("Plan.docx", link.GetProperty("name").GetString());
        Assert.Equal(Docx, link.GetProperty("type").GetString());
        var content = await factory.CreateClient().GetAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        Assert.Equal(Docx, content.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"Plan exported as {Docx}\n", await content.Content.ReadAsStringAsync());

        var pdf = await connection.Owner.GetAsync($"{filesUrl}/{ids["Plan"]}/download?format=pdf").ReadDataAsync();
        Assert.Equal("Plan.pdf", pdf.GetProperty("name").GetString());
        var pdfContent = await factory.CreateClient().GetAsync(new Uri(pdf.GetProperty("url").GetString()!).PathAndQuery);
        Assert.Equal("Plan exported as application/pdf\n", await pdfContent.Content.ReadAsStringAsync());

        await (await connection.Owner.GetAsync($"{filesUrl}/{ids["Plan"]}/download?format=xlsx")).AssertErrorAsync(HttpStatusCode.BadRequest, "file/invalid-format");
        await (await connection.Owner.GetAsync($"{filesUrl}/{ids["Survey"]}/download")).AssertErrorAsync(HttpStatusCode.BadRequest, "file/not-downloadable");

        var big = await connection.Owner.GetAsync($"{filesUrl}/{ids["Budget"]}/download?format=csv").ReadDataAsync();
        await (await factory.CreateClient().GetAsync(new Uri(big.GetProperty("url").GetString()!).PathAndQuery))
            .AssertErrorAsync(HttpStatusCode.Conflict, "file/export-too-large");
    }

    private static async Task<Dictionary<string, string>> IdsAsync(HttpClient owner, string url)
    {
        var response = await owner.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("data").EnumerateArray()
            .ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("_id").GetString()!);
    }
}
