using System.ComponentModel.DataAnnotations;

namespace Mwap.Api.Features.Projects;

/// <summary>Project rules (<c>Projects:*</c>).</summary>
internal sealed class ProjectsOptions
{
    public const string SectionName = "Projects";

    /// <summary>Most members a project may have, its owners included (default 10, as MWAP).</summary>
    [Range(1, 1000)]
    public int MaxMembers { get; set; } = 10;
}
