using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mwap.Api.Features.Projects;

/// <summary>MWAP's project object (spec §6.5) plus <c>config</c>; members embedded as MWAP returns them.</summary>
internal sealed record ProjectResponse(
    [property: JsonPropertyName("_id")] string Id,
    string TenantId,
    string ProjectTypeId,
    string CloudIntegrationId,
    [property: JsonPropertyName("folderpath")] string FolderPath,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    JsonElement Config,
    bool Archived,
    IReadOnlyList<MemberResponse> Members,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string CreatedBy)
{
    public static ProjectResponse From(Project p, IEnumerable<ProjectMember> members) => new(
        p.Id, p.TenantId, p.ProjectTypeId, p.CloudIntegrationId, p.FolderPath, p.Name, p.Description,
        JsonDocument.Parse(p.Config).RootElement.Clone(), p.Archived,
        [.. members.OrderByDescending(m => ProjectRoles.Rank(m.Role)).ThenBy(m => m.AddedAt).Select(MemberResponse.From)],
        p.CreatedAt, p.UpdatedAt, p.CreatedBy);
}

/// <summary>A member as MWAP returns it; <c>implicit</c> (only when true) marks the tenant owner's OWNER role that no member row holds.</summary>
internal sealed record MemberResponse(
    string UserId,
    string Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Implicit = false)
{
    public static MemberResponse From(ProjectMember m) => new(m.UserId, m.Role, false);
}
