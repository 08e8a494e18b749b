using System.Text.Json;
using Mwap.Api.Features.Projects;

namespace Mwap.Api.Tests.Features.Projects;

/// <summary>
/// With Redis configured, HybridCache stores the cached project read as JSON in its second level and another instance
/// reads it back: the response must survive that round trip unchanged (<c>_id</c>, <c>folderpath</c>, the config).
/// </summary>
public sealed class ProjectResponseSerializationTests
{
    [Fact]
    public void CachedProject_RoundTripsThroughJson()
    {
        using var config = JsonDocument.Parse("""{"inputFolder":"/in","retries":3,"nested":{"a":[1,2]}}""");
        var created = new DateTime(2026, 11, 30, 1, 2, 3, 456, DateTimeKind.Utc);
        var original = new ProjectResponse("6b0cc37f6fa9959deaaa2c25", "6b0cc37a6fa9959deaaa2c0f", "6b0cc3796fa9959deaaa2c01",
            "6b0cc37b6fa9959deaaa2c10", "/Projects/Shoot1", "Shoot", null, config.RootElement.Clone(), false,
            [new MemberResponse("auth0|a", ProjectRoles.Owner), new MemberResponse("auth0|b", ProjectRoles.Member)],
            new ProjectMetadata(34, 1210, created.AddMinutes(5)), created, created.AddHours(1), "auth0|a");

        var copy = JsonSerializer.Deserialize<ProjectResponse>(JsonSerializer.Serialize(original))!;

        Assert.Equal(original.Id, copy.Id);
        Assert.Equal(original.FolderPath, copy.FolderPath);
        Assert.Null(copy.Description);
        Assert.Equal(original.Config.GetRawText(), copy.Config.GetRawText());
        Assert.Equal(original.Members, copy.Members);
        Assert.Equal(original.Metadata, copy.Metadata);
        Assert.Equal(original with { Config = copy.Config, Members = copy.Members }, copy);
    }
}
