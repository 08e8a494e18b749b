using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.Integrations;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using static Mwap.Api.IntegrationTests.Features.Files.FileSyncHarness;

namespace Mwap.Api.IntegrationTests.Features.Integrations;

/// <summary>
/// Issue 13: a tenant's list of integrations is kept in memory. Every write that changes what the list shows — tracked
/// saves, the <c>ExecuteUpdate</c> writes of the sync engine, the health check and the request counter, creation,
/// deletion, a provider rename — is seen by the next request.
/// </summary>
public sealed class IntegrationReadCacheTests(Files.FileSyncApiFactory factory) : IClassFixture<Files.FileSyncApiFactory>
{
    [Fact]
    public async Task TheList_IsServedFromMemory_AndEveryWriteIsSeenByTheNextRequest()
    {
        var connection = await ConnectAsync(factory, FakeProvider.Dropbox);
        var url = $"/api/v1/tenants/{connection.TenantId}/integrations";
        var first = await OnlyAsync(connection, url);
        Assert.Equal("active", first.GetProperty("status").GetString());
        await OnlyAsync(connection, url); // a second read: the entry is stamped with what the first load saw

        // A row changed behind the server's back (no write path, no bump) is not seen: the list came from memory.
        await factory.WithDbAsync(db => db.Set<CloudIntegration>().Where(i => i.Id == connection.IntegrationId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Health.ErrorCount, 41)));
        Assert.NotEqual(41, (await OnlyAsync(connection, url)).GetProperty("health").GetProperty("errorCount").GetInt32());

        // A tracked save through the API (the interceptor).
        await connection.Owner.PatchJsonAsync($"{url}/{connection.IntegrationId}", new { metadata = new { label = "renamed" } }).ReadDataAsync();
        var patched = await OnlyAsync(connection, url);
        Assert.Equal("renamed", patched.GetProperty("metadata").GetProperty("label").GetString());
        Assert.Equal(41, patched.GetProperty("health").GetProperty("errorCount").GetInt32());

        // The health check writes its columns with ExecuteUpdate.
        await connection.Owner.GetAsync($"{url}/{connection.IntegrationId}/health").ReadDataAsync();
        Assert.Equal(0, (await OnlyAsync(connection, url)).GetProperty("health").GetProperty("errorCount").GetInt32());

        // Every provider call counts a request (ExecuteUpdate): a connection test makes at least one.
        var requests = (await OnlyAsync(connection, url)).GetProperty("usage").GetProperty("totalRequests").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await connection.Owner.PostAsync($"{url}/{connection.IntegrationId}/test", null)).StatusCode);
        Assert.True((await OnlyAsync(connection, url)).GetProperty("usage").GetProperty("totalRequests").GetInt64() > requests);

        // The sync engine's state and count (ExecuteUpdate at the start and the end of a run).
        var drive = State(factory, FakeProvider.Dropbox).Files;
        drive.AddFile(drive.AddFolder("/Cached"), "a.txt", new byte[3]);
        await SyncOkAsync(factory, connection.IntegrationId, full: true);
        var synced = (await OnlyAsync(connection, url)).GetProperty("syncStatus");
        Assert.Equal("succeeded", synced.GetProperty("state").GetString());
        Assert.Equal(2, synced.GetProperty("filesIndexed").GetInt64());

        // A provider renamed by a superadmin shows in the list.
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var providerId = first.GetProperty("providerId").GetString()!;
        var newName = TestUsers.UniqueName("Provider");
        await admin.PatchJsonAsync($"/api/v1/cloud-providers/{providerId}", new { name = newName }).ReadDataAsync();
        Assert.Equal(newName, (await OnlyAsync(connection, url)).GetProperty("provider").GetProperty("name").GetString());

        // Deletion (the project-less integration can go): the list is empty at once.
        Assert.Equal(HttpStatusCode.NoContent, (await connection.Owner.DeleteAsync($"{url}/{connection.IntegrationId}")).StatusCode);
        Assert.Empty(await ListAsync(connection, url));
    }

    [Fact]
    public async Task AnIntegrationCreated_IsListedAtOnce_AndSoIsWhatItsFirstWritesChange()
    {
        var connection = await ConnectAsync(factory, FakeProvider.Google);
        var url = $"/api/v1/tenants/{connection.TenantId}/integrations";
        Assert.Single(await ListAsync(connection, url));
        Assert.Single(await ListAsync(connection, url));

        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var providerId = (await ProjectScenario.CreateProviderAsync(admin)).GetProperty("_id").GetString()!;
        var created = await connection.Owner.PostJsonAsync(url, new { providerId }).ReadDataAsync(HttpStatusCode.Created);
        var createdId = created.GetProperty("_id").GetString()!;
        Assert.Equal(2, (await ListAsync(connection, url)).Count);

        // The new integration's first change after it was listed (it was not stamped by the load before it).
        await connection.Owner.PatchJsonAsync($"{url}/{createdId}", new { status = "inactive" }).ReadDataAsync();
        Assert.Equal("inactive", (await ListAsync(connection, url)).Single(i => i.GetProperty("_id").GetString() == createdId).GetProperty("status").GetString());
    }

    private static async Task<List<JsonElement>> ListAsync(Connection connection, string url) =>
        [.. (await connection.Owner.GetAsync(url).ReadDataAsync()).EnumerateArray()];

    private static async Task<JsonElement> OnlyAsync(Connection connection, string url) => Assert.Single(await ListAsync(connection, url));
}
