using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mwap.Api.Features.Projects;

/// <summary>
/// MWAP's project object (spec §6.5) plus <c>config</c> and the guide's <c>metadata</c>; members embedded as MWAP
/// returns them. Immutable (the config is a detached <see cref="JsonElement"/>), so the read cache hands the same
/// instance to every request instead of copying it.
/// </summary>
[ImmutableObject(true)]
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
    ProjectMetadata Metadata,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string CreatedBy)
{
    public static ProjectResponse From(Project p, IEnumerable<ProjectMember> members, ProjectMetadata metadata) => new(
        p.Id, p.TenantId, p.ProjectTypeId, p.CloudIntegrationId, p.FolderPath, p.Name, p.Description,
        ParseConfig(p.Config), p.Archived,
        [.. members.OrderByDescending(m => ProjectRoles.Rank(m.Role)).ThenBy(m => m.AddedAt).Select(MemberResponse.From)],
        metadata, p.CreatedAt, p.UpdatedAt, p.CreatedBy);

    internal static JsonElement ParseConfig(string config)
    {
        using var document = JsonDocument.Parse(config);
        return document.RootElement.Clone();
    }
}

/// <summary>A member as MWAP returns it; <c>implicit</c> (only when true) marks the tenant owner's OWNER role that no member row holds.</summary>
[ImmutableObject(true)]
internal sealed record MemberResponse(
    string UserId,
    string Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Implicit = false)
{
    public static MemberResponse From(ProjectMember m) => new(m.UserId, m.Role, false);
}

/// <summary>
/// The guide's project metadata: files (not folders) in the index under the project's folder, their total size, and
/// the integration's last successful sync; zeros and null before the first sync.
/// </summary>
[ImmutableObject(true)]
internal sealed record ProjectMetadata(long FileCount, long TotalSize, DateTime? LastSync)
{
    public static readonly ProjectMetadata NeverSynced = new(0, 0, null);
}
