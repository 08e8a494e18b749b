namespace Mwap.FakeProviders.Tests;

public sealed class FakeDriveTests : IAsyncLifetime
{
    private FakeProviderServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FakeProviderServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void Mutations_BumpTheVersion_AndDeleteLeavesTombstonesForTheWholeSubtree()
    {
        var files = _server.Google.Files;
        var folder = files.AddFolder("/A/B");
        var file = files.AddFile(folder, "f.txt");
        var other = files.AddFolder("/Other");
        var before = files.Version;

        files.Rename(file, "g.txt");
        files.Move(folder, other);
        files.UpdateContent(file, [1]);
        var afterMutations = files.Version;
        files.Delete(files.FindByPath("/Other")!);

        Assert.Equal(before + 3, afterMutations);
        Assert.Equal(["/Other", "/Other/B", "/Other/B/g.txt"], files.Deleted().Select(t => t.Path));
        Assert.Equal(folder.Id, files.Deleted()[2].ParentId);
        Assert.True(file.IsDeleted);
        Assert.Null(files.Find(file.Id));
        Assert.Equal(["A"], files.All().Select(i => i.Name));
        Assert.Throws<InvalidOperationException>(() => files.Rename(file, "again.txt"));
        Assert.Throws<ArgumentException>(() => files.Move(files.FindByPath("/A")!, files.FindByPath("/A")!));
        Assert.Throws<ArgumentException>(() => files.Delete(files.Root));
    }
}
