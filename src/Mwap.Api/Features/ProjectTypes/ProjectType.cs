using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.ProjectTypes;

/// <summary>An admin-defined kind of project; its JSON Schema validates each project's <c>config</c>.</summary>
internal sealed class ProjectType : IHasTimestamps, IVersioned
{
    public string Id { get; init; } = null!;
    public string Name { get; set; } = null!;
    public string Description { get; set; } = "";

    /// <summary>A JSON Schema (object), stored as text.</summary>
    public string ConfigSchema { get; set; } = "{}";

    public bool IsActive { get; set; } = true;
    public string CreatedBy { get; init; } = null!;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
}
