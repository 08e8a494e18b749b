using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mwap.FakeProviders.Hosting;
using Mwap.FakeProviders.Webhooks;

namespace Mwap.FakeProviders.Google;

/// <summary>
/// Drive v3 <c>changes.watch</c> and <c>channels.stop</c> (https://developers.google.com/drive/api/reference/rest/v3/changes/watch).
/// A watch needs <c>pageToken</c> and a unique channel id; its answer is the channel with Drive's <c>resourceId</c> and
/// the expiration as milliseconds in a string. Stopping an unknown channel, or with the wrong resource id, is a 404.
/// </summary>
internal static class DriveWatchEndpoints
{
    public static void MapDriveWatch(this IEndpointRouteBuilder google, FakeProviderState provider)
    {
        var channels = provider.DriveChannels;
        google.MapPost("/drive/v3/changes/watch", async Task<IResult> (HttpContext context) =>
        {
            if (GoogleAuth.Reject(context, provider, needsDriveScope: true) is { } rejection)
            {
                return rejection;
            }

            var pageToken = context.Request.Query["pageToken"].ToString();
            if (pageToken.Length == 0)
            {
                return GoogleErrors.Result(400, "required", "Required parameter: pageToken", location: "pageToken");
            }

            var body = await BodyAsync(context);
            var id = body is null ? null : Str(body, "id");
            if (body is null || string.IsNullOrEmpty(id) || id.Length > 64)
            {
                return GoogleErrors.Result(400, "required", "Required: channel id", location: "id");
            }

            if (Str(body, "type") is not ("web_hook" or "webhook"))
            {
                return GoogleErrors.InvalidValue("type", $"Invalid value for channel type: {Str(body, "type")}");
            }

            var address = Str(body, "address");
            if (!channels.Accepts(address))
            {
                return GoogleErrors.Result(400, "push.webhookUrlNotHttps", "WebHook callback must be HTTPS: " + address);
            }

            if (channels.Exists(id))
            {
                return GoogleErrors.Result(400, "channelIdNotUnique", $"Channel id {id} not unique");
            }

            var now = provider.Time.GetUtcNow();
            var expiration = now + DriveChannels.DefaultLifetime;
            if (Str(body, "expiration") is { } requested)
            {
                if (!long.TryParse(requested, CultureInfo.InvariantCulture, out var ms))
                {
                    return GoogleErrors.InvalidValue("expiration");
                }

                expiration = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                if (expiration <= now || expiration > now + DriveChannels.MaxLifetime)
                {
                    return GoogleErrors.Result(400, "invalid", "Invalid expiration time: it must be in the future and at most 604800 seconds away.",
                        location: "expiration");
                }
            }

            var channel = channels.Add(id, address!, Str(body, "token"), expiration, pageToken);
            var answer = new JsonObject
            {
                ["kind"] = "api#channel",
                ["id"] = channel.Id,
                ["resourceId"] = channel.ResourceId,
                ["resourceUri"] = $"https://www.googleapis.com/drive/v3/changes?alt=json&pageToken={pageToken}",
                ["expiration"] = channel.Expiration.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            };
            if (channel.Token is not null)
            {
                answer["token"] = channel.Token;
            }

            return FakeResult.Json(answer);
        });

        google.MapPost("/drive/v3/channels/stop", async Task<IResult> (HttpContext context) =>
        {
            if (GoogleAuth.Reject(context, provider, needsDriveScope: false) is { } rejection)
            {
                return rejection;
            }

            var body = await BodyAsync(context);
            var id = body is null ? null : Str(body, "id");
            var resourceId = body is null ? null : Str(body, "resourceId");
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(resourceId))
            {
                return GoogleErrors.Result(400, "required", "Required: id and resourceId");
            }

            return channels.Stop(id, resourceId)
                ? FakeResult.Raw(204, null, null)
                : GoogleErrors.Result(404, "notFound", $"Channel '{id}' not found for project '1234567890'");
        });
    }

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

    private static string? Str(JsonObject body, string name) => body[name] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value when value.TryGetValue<long>(out var number) => number.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };
}
