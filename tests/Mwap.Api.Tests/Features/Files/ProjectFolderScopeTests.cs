using Mwap.Api.Features.Files;
using Mwap.Api.Infrastructure.Http;

namespace Mwap.Api.Tests.Features.Files;

public sealed class ProjectFolderScopeTests
{
    [Theory]
    [InlineData("/", "")]
    [InlineData("", "")]
    [InlineData("Clients/Acme/", "/Clients/Acme")]
    [InlineData("\\Clients\\ Acme ", "/Clients/Acme")]
    [InlineData("//Clients//Acme", "/Clients/Acme")]
    public void NormalizeRoot_GivesOneLeadingSlashAndNoTrailingOne(string folderPath, string expected) =>
        Assert.Equal(expected, ProjectFolderScope.NormalizeRoot(folderPath));

    [Theory]
    [InlineData("/clients/acme", true)]
    [InlineData("/clients/acme/q1/report.pdf", true)]
    [InlineData("/clients/acme-other", false)]
    [InlineData("/clients", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Contains_OnlyTheFolderAndBelowIt(string? pathLower, bool expected) =>
        Assert.Equal(expected, new ProjectFolderScope("/Clients/Acme").Contains(pathLower));

    [Fact]
    public void AccountRootScope_ContainsEveryIndexedPath()
    {
        var scope = new ProjectFolderScope("/");
        Assert.True(scope.IsAccountRoot);
        Assert.True(scope.Contains("/anything/below"));
        Assert.False(scope.Contains(null));
    }

    [Theory]
    [InlineData(null, "/Clients/Acme", "Root")]
    [InlineData("/", "/Clients/Acme", "Root")]
    [InlineData("/clients/acme", "/clients/acme", "Root")]
    [InlineData("Q1", "/Clients/Acme/Q1", "Inside")]
    [InlineData("Q1//Reports/", "/Clients/Acme/Q1/Reports", "Inside")]
    [InlineData("/Clients/Acme/Q1", "/Clients/Acme/Q1", "Inside")]
    [InlineData("/Q1", "/Clients/Acme/Q1", "RelativeIfExists")]
    [InlineData("/Clients/Other", "/Clients/Acme/Clients/Other", "RelativeIfExists")]
    public void Resolve_KeepsEveryPathInsideTheProjectFolder(string? path, string expected, string kind)
    {
        var scoped = new ProjectFolderScope("/Clients/Acme").Resolve(path);
        Assert.Equal(expected, scoped.Path);
        Assert.Equal(kind, scoped.Kind.ToString());
        Assert.True(new ProjectFolderScope("/Clients/Acme").Contains(scoped.PathLower));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("Q1/../../Other")]
    [InlineData("/Clients/Acme/./Q1")]
    [InlineData("Q1\\..\\Other")]
    [InlineData("Q1\u0000")]
    [InlineData("Q1\nOther")]
    public void Resolve_RefusesPathsThatCouldClimbOut(string path)
    {
        var e = Assert.Throws<BadRequestException>(() => new ProjectFolderScope("/Clients/Acme").Resolve(path));
        Assert.Equal(ProjectFolderScope.InvalidPathCode, e.Code);
    }

    [Fact]
    public void Resolve_RefusesOverlongPaths() =>
        Assert.Throws<BadRequestException>(() => new ProjectFolderScope("/A").Resolve(new string('a', 2001)));
}
