using System.Net;
using System.Text.Json;
using Mwap.Api.IntegrationTests.Features.Files;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using static Mwap.Api.IntegrationTests.Features.Files.FileSyncHarness;

namespace Mwap.Api.IntegrationTests.Features.Providers;

/// <summary>Issue 12 item 10: the folder picker gives nested Drive and OneDrive folders their real path, not "/name".</summary>
public sealed class FolderPickerPathTests(FileSyncApiFactory factory) : IClassFixture<FileSyncApiFactory>
{
    [Theory]
    [InlineData(FakeProvider.Google, "/drive/v3/files/")]
    [InlineData(FakeProvider.Microsoft, "/v1.0/me/drive/items/")]
    public async Task NestedFolder_ComesBackWithItsFullPath_FromTheParentsChain_ThenFromTheIndex(FakeProvider provider, string itemPath)
    {
        var connection = await ConnectAsync(factory, provider);
        var fake = factory.Fake[provider];
        var b = fake.Files.AddFolder("/Clients/Acme & Co");
        fake.Files.AddFolder(b, "2026");

        Assert.Equal(["/Clients/Acme & Co/2026"], await FolderPathsAsync(connection, b.Id));

        // Once synced, the index answers for the parent's path: no parent walk at the provider.
        await SyncOkAsync(factory, connection.IntegrationId);
        var walks = Walks(fake, itemPath);
        Assert.Equal(["/Clients/Acme & Co/2026"], await FolderPathsAsync(connection, b.Id));
        Assert.Equal(walks, Walks(fake, itemPath));
    }

    private static int Walks(FakeProviderState fake, string itemPath) =>
        fake.ApiRequests.Where(p => p.Key.StartsWith(itemPath, StringComparison.Ordinal) && !p.Key.EndsWith("/children", StringComparison.Ordinal)).Sum(p => p.Value);

    private static async Task<List<string>> FolderPathsAsync(Connection connection, string folderId)
    {
        var response = await connection.Owner.GetAsync($"{connection.IntegrationUrl}/folders?folderId={Uri.EscapeDataString(folderId)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.GetProperty("data").EnumerateArray().Select(f => f.GetProperty("path").GetString()!)];
    }
}
