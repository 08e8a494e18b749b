using System.Net;
using System.Text.Json;
using Mwap.Api.IntegrationTests.Features.Files;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using static Mwap.Api.IntegrationTests.Features.Files.FileSyncHarness;

namespace Mwap.Api.IntegrationTests.Features.Compatibility;

/// <summary>File objects carry MWAP's names (what its client's <c>File</c> type reads) beside the guide's, indexed and live.</summary>
public sealed class FileObjectCompatibilityTests(FileSyncApiFactory factory) : IClassFixture<FileSyncApiFactory>
{
    [Theory]
    [InlineData(FakeProvider.Dropbox, "")]
    [InlineData(FakeProvider.Google, "")]
    [InlineData(FakeProvider.Dropbox, "?live=true")]
    public async Task EveryFileObject_HasMwapsFields(FakeProvider provider, string query)
    {
        var connection = await ConnectAsync(factory, provider);
        BuildTree(State(factory, provider).Files);
        await SyncOkAsync(factory, connection.IntegrationId);
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var typeId = (await admin.CreateProjectTypeAsync()).GetProperty("_id").GetString()!;
        var projectId = (await connection.Owner.PostJsonAsync("/api/v1/projects", new
        {
            tenantId = connection.TenantId,
            projectTypeId = typeId,
            cloudIntegrationId = connection.IntegrationId,
            folderpath = "/Projects/Shoot1",
            name = TestUsers.UniqueName("Project"),
        }).ReadDataAsync(HttpStatusCode.Created)).GetProperty("_id").GetString();

        var files = (await connection.Owner.GetAsync($"/api/v1/projects/{projectId}/files{query}").ReadDataAsync()).EnumerateArray().ToList();
        Assert.Equal(3, files.Count);
        foreach (var file in files)
        {
            Assert.Equal(file.GetProperty("providerFileId").GetString(), file.GetProperty("fileId").GetString());
            Assert.False(string.IsNullOrEmpty(file.GetProperty("fileId").GetString()));
            Assert.Equal(file.GetProperty("type").GetString(), file.GetProperty("mimeType").GetString());
            Assert.Equal(file.GetProperty("modifiedTime").GetRawText(), file.GetProperty("modifiedAt").GetRawText());
            Assert.Equal("active", file.GetProperty("status").GetString());
            var metadata = file.GetProperty("metadata");
            Assert.Equal(file.GetProperty("isFolder").GetBoolean(), metadata.GetProperty("isFolder").GetBoolean());
            Assert.Equal(file.GetProperty("path").GetString(), metadata.GetProperty("path").GetString());
            Assert.StartsWith("/Projects/Shoot1/", metadata.GetProperty("path").GetString(), StringComparison.OrdinalIgnoreCase);
        }

        var sub = files.Single(f => f.GetProperty("name").GetString() == "Sub");
        Assert.True(sub.GetProperty("metadata").GetProperty("isFolder").GetBoolean());
        Assert.Equal(JsonValueKind.String, files.Single(f => f.GetProperty("name").GetString() == "a.txt").GetProperty("mimeType").ValueKind);
    }
}
