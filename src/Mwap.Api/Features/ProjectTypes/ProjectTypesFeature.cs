using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Mwap.Api.Features.ProjectTypes;

internal static class ProjectTypesFeature
{
    /// <summary>Registers the project type service and describes <c>configSchema</c>'s three forms in the OpenAPI document.</summary>
    public static IServiceCollection AddProjectTypesFeature(this IServiceCollection services)
    {
        services.Configure<OpenApiOptions>("v1", o => o.AddSchemaTransformer((schema, context, _) =>
        {
            // Replaced on the owning type: the property's own schema (a nullable JsonElement) is rewritten after transformers run.
            if (context.JsonTypeInfo.Type.Namespace == typeof(ProjectType).Namespace && schema.Properties is { } properties &&
                properties.ContainsKey("configSchema"))
            {
                properties["configSchema"] = ConfigSchemaDescription();
            }

            return Task.CompletedTask;
        }));
        return services.AddScoped<ProjectTypeService>();
    }

    private static OpenApiSchema ConfigSchemaDescription() => new()
    {
        Type = JsonSchemaType.Object,
        Description = ConfigSchemas.Description,
        OneOf =
        [
            new OpenApiSchema
            {
                Title = "MWAP field map",
                Description = "Field name → type name; a trailing '?' marks the field optional.",
                Type = JsonSchemaType.Object,
                AdditionalProperties = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Pattern = "^(?i)(string|number|integer|boolean|array|object)\\??$",
                },
            },
            new OpenApiSchema
            {
                Title = "JSON Schema",
                Description = "A JSON Schema document (draft 2020-12 by default) with $schema, type, properties, $ref, allOf, anyOf, oneOf, items or required at the top level.",
                Type = JsonSchemaType.Object,
            },
            new OpenApiSchema
            {
                Title = "Any other object",
                Description = "Stored and returned as sent; validates nothing.",
                Type = JsonSchemaType.Object,
            },
        ],
    };
}
