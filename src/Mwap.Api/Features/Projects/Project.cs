using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Projects;

/// <summary>A tenant's project: a folder in one connected storage account, with members in roles.</summary>
internal sealed class Project : IHasTimestamps, IVersioned, ITenantOwned
{
    public const int NameMaxLength = 100;

    public string Id { get; init; } = null!;
    public string TenantId { get; init; } = null!;
    public string ProjectTypeId { get; init; } = null!;
    public string CloudIntegrationId { get; init; } = null!;
    public string FolderPath { get; init; } = null!;
    public string Name { get; set; } = null!;
    public string? Description { get; set; }

    /// <summary>JSON object validated against the project type's config schema; stored as text.</summary>
    public string Config { get; set; } = "{}";

    public bool Archived { get; set; }
    public string CreatedBy { get; init; } = null!;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Bumped by every member change too, so concurrent member changes serialise on this row.</summary>
    public int Version { get; set; }
}

/// <summary>A user's role in a project.</summary>
internal sealed class ProjectMember : ITenantOwned
{
    public string TenantId { get; init; } = null!;
    public string ProjectId { get; init; } = null!;
    public string UserId { get; init; } = null!;
    public string Role { get; set; } = ProjectRoles.Member;
    public DateTime AddedAt { get; init; }
    public string AddedBy { get; init; } = null!;
}

/// <summary>MWAP's project roles and their ranks: OWNER (3) &gt; DEPUTY (2) &gt; MEMBER (1).</summary>
internal static class ProjectRoles
{
    public const string Owner = "OWNER";
    public const string Deputy = "DEPUTY";
    public const string Member = "MEMBER";

    public static readonly string[] All = [Owner, Deputy, Member];

    public static int Rank(string? role) => role switch
    {
        Owner => 3,
        Deputy => 2,
        Member => 1,
        _ => 0,
    };
}
