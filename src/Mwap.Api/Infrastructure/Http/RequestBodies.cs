using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Mwap.Api.Infrastructure.Http;

/// <summary>
/// The rules every <c>/api/v1</c> request body follows, applied to the whole group so no endpoint can forget them:
/// fields the body type does not declare (typos, server-owned fields such as <c>_id</c> or <c>createdBy</c>, secrets
/// echoed from a GET) are dropped before binding and named in the <c>Mwap-Ignored-Fields</c> response header, as MWAP's
/// Zod schemas dropped them; then the bound body is validated. Malformed JSON, wrong types and missing required fields
/// still fail with 400.
/// </summary>
internal static class RequestBodies
{
    public const string IgnoredFieldsHeader = "Mwap-Ignored-Fields";

    // Per endpoint: the declared body type (null when it has none). Endpoints are fixed at start-up, so this stays small.
    private static readonly ConcurrentDictionary<Endpoint, Type?> BodyTypes = new();

    /// <summary>Creates the <c>/api/v1</c> group with the body rules installed on every endpoint in it.</summary>
    public static RouteGroupBuilder MapApiGroup(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1");
        api.AddEndpointFilterFactory(ValidationFilter);
        return api;
    }

    /// <summary>Drops undeclared fields from JSON bodies; runs after routing, before the endpoint binds its body.</summary>
    public static IApplicationBuilder UseUnknownFieldsDropped(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint() is { } endpoint && BodyTypeOf(endpoint) is { } bodyType && IsJson(context.Request))
        {
            var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            var ignored = await DropUnknownFieldsAsync(context.Request, bodyType, options, context.RequestAborted);
            if (ignored.Count > 0)
            {
                // OnStarting survives the exception handler's Response.Clear(), so an error answer names them too.
                var value = string.Join(", ", ignored);
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers[IgnoredFieldsHeader] = value;
                    return Task.CompletedTask;
                });
            }
        }

        await next(context);
    });

    /// <summary>The field paths of <paramref name="node"/> that <paramref name="info"/> does not declare, removed from it.</summary>
    internal static List<string> Strip(JsonObject node, JsonTypeInfo info, JsonSerializerOptions options, string prefix = "")
    {
        var ignored = new List<string>();
        var comparer = options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var declared = info.Properties.Where(p => p.Set is not null || p.AssociatedParameter is not null)
            .ToDictionary(p => p.Name, p => p.PropertyType, comparer);
        foreach (var (name, value) in node.ToList())
        {
            if (!declared.TryGetValue(name, out var type))
            {
                node.Remove(name);
                ignored.Add(prefix + name);
                continue;
            }

            var nested = ObjectInfo(Nullable.GetUnderlyingType(type) ?? type, options);
            if (nested is not null && value is JsonObject child)
            {
                ignored.AddRange(Strip(child, nested, options, $"{prefix}{name}."));
            }
            else if (value is JsonArray items && ElementInfo(type, options) is { } element)
            {
                for (var i = 0; i < items.Count; i++)
                {
                    if (items[i] is JsonObject item)
                    {
                        ignored.AddRange(Strip(item, element, options, $"{prefix}{name}[{i}]."));
                    }
                }
            }
        }

        return ignored;
    }

    private static async Task<List<string>> DropUnknownFieldsAsync(HttpRequest request, Type bodyType, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        if (ObjectInfo(bodyType, options) is not { } info)
        {
            return [];
        }

        request.EnableBuffering();
        JsonObject? root;
        try
        {
            var documentOptions = new JsonDocumentOptions { MaxDepth = options.MaxDepth, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };
            root = await JsonNode.ParseAsync(request.Body, new JsonNodeOptions { PropertyNameCaseInsensitive = options.PropertyNameCaseInsensitive },
                documentOptions, cancellationToken) as JsonObject;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // Malformed or duplicate-keyed JSON: the binder reports it (400), from the untouched body.
            root = null;
        }

        List<string> ignored;
        try
        {
            ignored = root is null ? [] : Strip(root, info, options);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            ignored = [];
        }

        if (ignored.Count == 0)
        {
            request.Body.Position = 0;
            return ignored;
        }

        var cleaned = JsonSerializer.SerializeToUtf8Bytes(root, options);
        request.Body = new MemoryStream(cleaned, writable: false);
        request.ContentLength = cleaned.Length;
        return ignored;
    }

    private static JsonTypeInfo? ObjectInfo(Type type, JsonSerializerOptions options)
    {
        if (type == typeof(JsonElement) || typeof(JsonNode).IsAssignableFrom(type) || type == typeof(object) || type == typeof(string))
        {
            return null;
        }

        var info = options.GetTypeInfo(type);
        return info.Kind == JsonTypeInfoKind.Object && info.Properties.Count > 0 ? info : null;
    }

    private static JsonTypeInfo? ElementInfo(Type type, JsonSerializerOptions options) =>
        type != typeof(string) && options.GetTypeInfo(type) is { Kind: JsonTypeInfoKind.Enumerable, ElementType: { } element }
            ? ObjectInfo(element, options)
            : null;

    private static Type? BodyTypeOf(Endpoint endpoint) => BodyTypes.GetOrAdd(endpoint, static e =>
        e.Metadata.GetMetadata<MethodInfo>()?.GetParameters()
            .FirstOrDefault(p => typeof(IRequestBody).IsAssignableFrom(p.ParameterType))?.ParameterType);

    private static bool IsJson(HttpRequest request) =>
        request.ContentType is { } type && type.Contains("json", StringComparison.OrdinalIgnoreCase) && request.ContentLength != 0;

    /// <summary>Validates every <see cref="IRequestBody"/> argument; failures are 400 with the endpoint's input code.</summary>
    private static EndpointFilterDelegate ValidationFilter(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        var positions = factory.MethodInfo.GetParameters()
            .Select((p, i) => (p, i)).Where(x => typeof(IRequestBody).IsAssignableFrom(x.p.ParameterType)).Select(x => x.i).ToArray();
        if (positions.Length == 0)
        {
            return next;
        }

        return async context =>
        {
            foreach (var position in positions)
            {
                if (context.Arguments[position] is IRequestBody body && RequestValidator.Validate(body) is { Count: > 0 } errors)
                {
                    throw new BadRequestException(MwapExceptionHandler.InvalidInputCodeFor(context.HttpContext), "Invalid input", errors);
                }
            }

            return await next(context);
        };
    }
}
