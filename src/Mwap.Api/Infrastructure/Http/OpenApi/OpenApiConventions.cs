using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Infrastructure.Http.OpenApi;

/// <summary>
/// Makes the OpenAPI document usable from the docs UI and honest about errors: the bearer security scheme (and the
/// issuer's OIDC discovery URL when <c>Auth:Authority</c> is set), a summary and description on every operation
/// (<see cref="OperationCatalog"/> unless the endpoint sets its own), the error responses the route can return (each
/// with the MWAP envelope as an example), and request body examples.
/// </summary>
internal static class OpenApiConventions
{
    public const string BearerScheme = "Bearer";
    public const string OidcScheme = "OpenIdConnect";

    public static OpenApiOptions AddMwapConventions(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, context, _) =>
        {
            document.Info.Title = "MWAP for .NET";
            document.Info.Description = "MWAP-compatible multi-tenant platform API. Every response uses the MWAP envelope " +
                "({\"success\":true,\"data\":…} or {\"success\":false,\"error\":{\"code\",\"message\",\"details\"?}}).";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT from the configured OIDC issuer (in development: the dev-token verb).",
            };
            var auth = context.ApplicationServices.GetRequiredService<IOptions<AuthOptions>>().Value;
            if (!auth.IsDevelopmentMode)
            {
                document.Components.SecuritySchemes[OidcScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.OpenIdConnect,
                    OpenIdConnectUrl = new Uri(auth.Authority!.TrimEnd('/') + "/.well-known/openid-configuration"),
                    Description = "The issuer that signs the bearer tokens.",
                };
            }

            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            var description = context.Description;
            var metadata = description.ActionDescriptor.EndpointMetadata;
            var doc = OperationCatalog.Find(description.HttpMethod ?? "GET", description.RelativePath ?? "");
            if (string.IsNullOrWhiteSpace(operation.Summary))
            {
                operation.Summary = doc?.Summary;
            }

            if (string.IsNullOrWhiteSpace(operation.Description))
            {
                operation.Description = doc?.Description;
            }

            var anonymous = metadata.OfType<IAllowAnonymous>().Any();
            if (!anonymous)
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
            }

            operation.Responses ??= new OpenApiResponses();
            foreach (var (status, code, message) in Errors(description, metadata, doc, anonymous))
            {
                AddError(operation.Responses, status, code, message);
            }

            if (doc?.Example is { } example && operation.RequestBody?.Content is { } content)
            {
                foreach (var media in content.Values)
                {
                    media.Example = JsonNode.Parse(example);
                }
            }

            return Task.CompletedTask;
        });
        return options;
    }

    /// <summary>The errors every route of this shape returns, plus the route's own from the catalog.</summary>
    private static IEnumerable<(int Status, string Code, string Message)> Errors(Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription description,
        IList<object> metadata, OperationDoc? doc, bool anonymous)
    {
        var invalidInput = metadata.OfType<InvalidInputCode>().LastOrDefault()?.Code ?? ErrorCodes.InvalidInput;
        if (description.ParameterDescriptions.Count > 0)
        {
            yield return (400, invalidInput, "Invalid input (details name each field and its rule)");
        }

        if (!anonymous)
        {
            yield return (401, ErrorCodes.Unauthorized, "Missing Authorization header: send 'Authorization: Bearer <token>'");
            if (metadata.OfType<IAuthorizeData>().Any(a => a.Policy is not null))
            {
                yield return (403, ErrorCodes.InsufficientPermissions, "Access denied");
            }
        }

        if (doc?.NotFound is { } notFound)
        {
            yield return (404, notFound, "Not found");
        }

        foreach (var (status, code) in doc?.Errors ?? [])
        {
            yield return (status, code, code);
        }

        yield return (429, ErrorCodes.RateLimitExceeded, "Too many requests; retry after the Retry-After seconds");
    }

    private static void AddError(OpenApiResponses responses, int status, string code, string message)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!responses.TryGetValue(key, out var existing) || existing is not OpenApiResponse response)
        {
            response = new OpenApiResponse { Description = Reason(status), Content = new Dictionary<string, OpenApiMediaType>() };
            responses[key] = response;
        }

        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        var media = response.Content.TryGetValue("application/json", out var m) ? m : response.Content["application/json"] = new OpenApiMediaType();
        media.Examples ??= new Dictionary<string, IOpenApiExample>();
        media.Examples[code] = new OpenApiExample
        {
            Summary = code,
            Value = new JsonObject
            {
                ["success"] = false,
                ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
            },
        };
    }

    private static string Reason(int status) => status switch
    {
        400 => "Bad request (MWAP error envelope)",
        401 => "No usable bearer token",
        403 => "Not allowed for the caller",
        404 => "Not found, or not visible to the caller",
        409 => "Conflict with an existing resource",
        429 => "Rate limit exceeded",
        _ => "Error",
    };
}
