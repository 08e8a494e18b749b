using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mwap.FakeProviders.Hosting;
using Mwap.FakeProviders.Webhooks;

namespace Mwap.FakeProviders.Microsoft;

/// <summary>
/// Graph <c>/subscriptions</c>: create (with the validation handshake), renew by <c>PATCH</c>, <c>DELETE</c>. Graph
/// answers 404 for a subscription that expired or was removed, which is when a client must create a new one.
/// </summary>
internal static class GraphSubscriptionEndpoints
{
    public static void MapGraphSubscriptions(this RouteGroupBuilder graph, FakeProviderState provider)
    {
        var subscriptions = provider.GraphSubscriptions;
        graph.MapPost("/subscriptions", async Task<IResult> (HttpContext context) =>
        {
            if (GraphAuth.Reject(context, provider) is { } rejection)
            {
                return rejection;
            }

            if (await BodyAsync(context) is not { } body)
            {
                return GraphErrors.InvalidRequest("The request body is not valid JSON.");
            }

            var resource = Str(body, "resource") ?? "";
            var changeType = Str(body, "changeType") ?? "";
            var url = Str(body, "notificationUrl");
            var clientState = Str(body, "clientState");
            if (resource.TrimStart('/') is not ("me/drive/root" or "drive/root"))
            {
                return GraphErrors.InvalidRequest($"Resource '{resource}' is not supported by this fake; subscribe to /me/drive/root.");
            }

            if (changeType != "updated")
            {
                return GraphErrors.InvalidRequest("Only 'updated' changeType is supported for driveItem subscriptions.");
            }

            if (!subscriptions.Accepts(url))
            {
                return GraphErrors.InvalidRequest("Subscription validation request failed. Must be a valid https URL.");
            }

            if (clientState is { Length: > 128 })
            {
                return GraphErrors.InvalidRequest("clientState must be at most 128 characters.");
            }

            if (ExpirationProblem(body, provider) is { } problem)
            {
                return problem;
            }

            if (!await subscriptions.ValidateAsync(url!))
            {
                return GraphErrors.InvalidRequest("Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.");
            }

            var created = subscriptions.Add(resource, changeType, url!, clientState, Expiration(body));
            return FakeResult.Json(Json(context, created), 201);
        });

        graph.MapPatch("/subscriptions/{id}", async Task<IResult> (HttpContext context, string id) =>
        {
            if (GraphAuth.Reject(context, provider) is { } rejection)
            {
                return rejection;
            }

            if (await BodyAsync(context) is not { } body)
            {
                return GraphErrors.InvalidRequest("The request body is not valid JSON.");
            }

            if (ExpirationProblem(body, provider) is { } problem)
            {
                return problem;
            }

            return subscriptions.Renew(id, Expiration(body)) is { } renewed ? FakeResult.Json(Json(context, renewed)) : NotFound(id);
        });

        graph.MapDelete("/subscriptions/{id}", (HttpContext context, string id) =>
            GraphAuth.Reject(context, provider) ?? (subscriptions.Delete(id) ? FakeResult.Raw(204, null, null) : NotFound(id)));
    }

    private static FakeResult NotFound(string id) =>
        GraphErrors.Result(404, "ResourceNotFound", $"The object was not found. Subscription '{id}' does not exist.");

    private static FakeResult? ExpirationProblem(JsonObject body, FakeProviderState provider)
    {
        if (!DateTimeOffset.TryParse(Str(body, "expirationDateTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiration))
        {
            return GraphErrors.InvalidRequest("expirationDateTime is required and must be a date and time.");
        }

        var now = provider.Time.GetUtcNow();
        return expiration <= now
            ? GraphErrors.InvalidRequest("Subscription expiration must be in the future.")
            : expiration > now + GraphSubscriptions.MaxLifetime
                ? GraphErrors.InvalidRequest($"Subscription expiration can only be {GraphSubscriptions.MaxLifetime.TotalMinutes:F0} minutes in the future.")
                : null;
    }

    private static DateTimeOffset Expiration(JsonObject body) =>
        DateTimeOffset.Parse(Str(body, "expirationDateTime")!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static JsonObject Json(HttpContext context, FakeGraphSubscription s) => new()
    {
        ["@odata.context"] = $"{context.Request.Scheme}://{context.Request.Host}{ProviderPaths.Graph}/v1.0/$metadata#subscriptions/$entity",
        ["id"] = s.Id,
        ["resource"] = s.Resource,
        ["applicationId"] = "24d3b144-21ae-4080-943f-7067b395b913",
        ["changeType"] = s.ChangeType,
        ["clientState"] = s.ClientState,
        ["notificationUrl"] = s.NotificationUrl,
        ["expirationDateTime"] = s.ExpirationDateTime.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
        ["creatorId"] = "8ee44408-0679-472c-bc2a-692812af3437",
        ["latestSupportedTlsVersion"] = "v1_2",
    };

    private static async Task<JsonObject?> BodyAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Str(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
