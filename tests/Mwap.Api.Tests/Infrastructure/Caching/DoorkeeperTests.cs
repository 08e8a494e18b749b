using Mwap.Api.Features.Files;
using Mwap.Api.Infrastructure.Caching;

namespace Mwap.Api.Tests.Infrastructure.Caching;

/// <summary>Issue 13: a search's page is kept on its second request, a folder's on its first.</summary>
public sealed class DoorkeeperTests
{
    [Fact]
    public void AKey_IsSeenBefore_OnlyFromItsSecondShowing()
    {
        var doorkeeper = new Doorkeeper(1024);

        Assert.False(doorkeeper.SeenBefore("search a"));
        Assert.True(doorkeeper.SeenBefore("search a"));
        Assert.True(doorkeeper.SeenBefore("search a"));
        Assert.False(doorkeeper.SeenBefore("search b"));
    }

    [Fact]
    public void AKeyPushedOutOfItsSlot_IsNewAgain()
    {
        var doorkeeper = new Doorkeeper(1);

        Assert.False(doorkeeper.SeenBefore("a"));
        Assert.False(doorkeeper.SeenBefore("b"));
        Assert.False(doorkeeper.SeenBefore("a"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    public void ASizeThatIsNotAPowerOfTwo_IsRefused(int slots) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Doorkeeper(slots));

    [Fact]
    public async Task ASearchPage_IsLoadedTwice_ThenServedFromTheCache_AFolderPageOnce()
    {
        using var cache = new FilesPageCache(new CacheEntryVersions(), new LocalCacheInvalidationBus());
        var project = new ProjectRef("p1", "t1", "i1", "/Docs");
        var folder = new FolderRef("/Docs", "/docs", null);
        var loads = new Dictionary<string, int>();
        async Task<FilesPage> Load(FileListOptions options)
        {
            var key = options.Search ?? "folder";
            loads[key] = loads.GetValueOrDefault(key) + 1;
            return await Task.FromResult(new FilesPage([], null, false));
        }

        FileListOptions Options(string? search) => new(100, "all", new FileSort("name"), false, false, search, null);
        for (var i = 0; i < 4; i++)
        {
            await cache.GetOrLoadAsync(project, folder, Options("0042"), () => Load(Options("0042")));
            await cache.GetOrLoadAsync(project, folder, Options(null), () => Load(Options(null)));
        }

        Assert.Equal(2, loads["0042"]);
        Assert.Equal(1, loads["folder"]);
    }
}
