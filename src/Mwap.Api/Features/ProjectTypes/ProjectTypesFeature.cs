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
            if (context.JsonPropertyInfo is { Name: "configSchema" } property &&
                property.DeclaringType.Namespace == typeof(ProjectType).Namespace)
            {
                DescribeConfigSchema(schema);
            }

            return Task.CompletedTask;
        }));
        return services.AddScoped<ProjectTypeService>();
    }

    private static void DescribeConfigSchema(OpenApiSchema schema)
    {
        schema.Type = JsonSchemaType.Object;
        schema.Description = ConfigSchemas.Description;
        schema.OneOf =
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
        ];
    }
}
