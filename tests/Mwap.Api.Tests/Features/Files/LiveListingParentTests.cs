using Mwap.Api.Features.Files;
using Mwap.Api.Features.Files.Sync;

namespace Mwap.Api.Tests.Features.Files;

public sealed class LiveListingParentTests
{
    private static RemoteItem Item(string? parentId, string? path = null) =>
        new("id1", "a.txt", parentId, path, false, "text/plain", 1, null, null);

    [Fact]
    public void ByParentId_OnlyChildrenOfTheFolderAskedFor()
    {
        var folder = new FolderRef("/Projects/Shoot1", "/projects/shoot1", "folder1");
        Assert.True(ProjectLiveFiles.IsChildOf(Item("folder1"), folder, "root1"));
        Assert.False(ProjectLiveFiles.IsChildOf(Item("root1"), folder, "root1"));
        Assert.False(ProjectLiveFiles.IsChildOf(Item(null), folder, "root1"));
    }

    [Fact]
    public void ByPath_OnlyDirectChildrenOfTheFolder()
    {
        var folder = new FolderRef("/Projects/Shoot1", "/projects/shoot1", null);
        Assert.True(ProjectLiveFiles.IsChildOf(Item(null, "/Projects/SHOOT1/a.txt"), folder, null));
        Assert.False(ProjectLiveFiles.IsChildOf(Item(null, "/Projects/Shoot1/Sub/a.txt"), folder, null));
        Assert.False(ProjectLiveFiles.IsChildOf(Item(null, "/Projects/Other/a.txt"), folder, null));
        Assert.False(ProjectLiveFiles.IsChildOf(Item(null, "/a.txt"), folder, null));
    }

    [Fact]
    public void AccountRoot_ChildrenOfTheRootOnce_ItsIdIsKnown()
    {
        var root = new FolderRef("", "", null);
        Assert.True(ProjectLiveFiles.IsChildOf(Item("root1"), root, "root1"));
        Assert.False(ProjectLiveFiles.IsChildOf(Item("folder1"), root, "root1"));
        Assert.True(ProjectLiveFiles.IsChildOf(Item(null, "/a.txt"), root, null));
        Assert.False(ProjectLiveFiles.IsChildOf(Item(null, "/Sub/a.txt"), root, null));
    }
}
