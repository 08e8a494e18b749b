using System.Diagnostics;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders.MwapData;

namespace Mwap.Api.IntegrationTests.Features.Import;

/// <summary>
/// A server already running on the database an import writes to (the import is another process in production: the
/// CLI) drops its cached roles and projects when the import commits, without a restart and without Redis.
/// </summary>
public sealed class MwapImportCacheTests(MwapImportApiFactory factory) : IClassFixture<MwapImportApiFactory>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ARunningServer_SeesImportedRolesAndProjects_ItHadCachedBefore()
    {
        await using var running = new RunningServer(factory.Database);
        await running.InitializeAsync();
        var dataset = factory.Dataset(seed: 105, broken: false);
        var dump = MwapDumpWriter.WriteDumpFolder(dataset, factory.NewPath("dump"), gzip: false);
        var member = running.CreateClientFor(dataset.Member(0));
        var projectId = dataset.ProjectId(0, 1);

        // Before the import the running server caches the member's roles: none.
        Assert.Empty((await member.GetAsync("/api/v1/users/me/roles").ReadDataAsync()).GetProperty("projectRoles").EnumerateArray());
        Assert.Equal(0, (await factory.ImportAsync("import", "mwap", dump, "--legacy-key", MwapImportApiFactory.LegacyKey)).ExitCode);

        await EventuallyAsync(async () => (await member.GetAsync("/api/v1/users/me/roles").ReadDataAsync()).GetProperty("projectRoles").EnumerateArray()
            .Any(r => r.GetProperty("projectId").GetString() == projectId && r.GetProperty("role").GetString() == "MEMBER"));

        // A project the running server has cached is replaced by what a later import writes (--overwrite takes the
        // source over a rename made here, on the other instance, before the running server first read the project).
        await factory.CreateClientFor(dataset.Owner(0)).PatchJsonAsync($"/api/v1/projects/{projectId}", new { name = "Renamed here" }).ReadDataAsync();
        Assert.Equal("Renamed here", await NameAsync(member, projectId));
        Assert.Equal(0, (await factory.ImportAsync("import", "mwap", dump, "--legacy-key", MwapImportApiFactory.LegacyKey, "--overwrite")).ExitCode);

        await EventuallyAsync(async () => await NameAsync(member, projectId) == "Project 1");
    }

    private static async Task<string?> NameAsync(HttpClient client, string projectId) =>
        (await client.GetAsync($"/api/v1/projects/{projectId}").ReadDataAsync()).GetProperty("name").GetString();

    /// <summary>Polls until true; the server re-reads the import marker every 2 s, entries live 5 minutes.</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < Patience, "the running server kept serving what it had cached before the import");
            await Task.Delay(100);
        }
    }

    /// <summary>A second server on the same database, as a production instance that was running during the import.</summary>
    private sealed class RunningServer : MwapApiFactory
    {
        public RunningServer(TestDatabase database) => SharedDatabase = database;
    }
}
