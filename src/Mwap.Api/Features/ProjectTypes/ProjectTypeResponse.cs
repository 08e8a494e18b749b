using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mwap.Api.Features.ProjectTypes;

internal sealed record ProjectTypeResponse(
    [property: JsonPropertyName("_id")] string Id,
    string Name,
    string Description,
    JsonElement ConfigSchema,
    bool IsActive,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string CreatedBy)
{
    public static ProjectTypeResponse From(ProjectType t) => new(
        t.Id, t.Name, t.Description, JsonDocument.Parse(t.ConfigSchema).RootElement.Clone(), t.IsActive, t.CreatedAt, t.UpdatedAt, t.CreatedBy);
}
