using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Webhooks;

/// <summary>
/// Microsoft Graph change notifications (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks):
/// Graph validates the URL by POSTing <c>?validationToken=…</c>, which must come back as text/plain within 10 s (on
/// create and at times afterwards); notifications are <c>{"value":[{subscriptionId, clientState, …}]}</c>, trusted only
/// when each <c>clientState</c> matches the secret of the subscription it names. Graph wants a 2xx within 3 s: the
/// sync itself is queued.
/// </summary>
internal static class MicrosoftWebhookEndpoints
{
    private const int MaxNotifications = 1000;

    public static void MapMicrosoftWebhook(this RouteGroupBuilder webhooks)
    {
        webhooks.MapPost("/microsoft", async (string? validationToken, HttpContext context, MwapDbContext db, WebhookSyncTrigger trigger,
                IOptions<WebhooksOptions> options, CancellationToken ct) =>
            {
                WebhookGuard.EnsureEnabled(options.Value);
                if (validationToken is not null)
                {
                    if (validationToken.Length is 0 or > 1024)
                    {
                        throw new BadRequestException(WebhookErrors.InvalidInput, "A validationToken of 1 to 1024 characters is required");
                    }

                    // Graph's handshake: the decoded token as the whole body, text/plain, not sniffable as HTML.
                    context.Response.Headers.XContentTypeOptions = "nosniff";
                    return Results.Text(validationToken, "text/plain");
                }

                var body = await WebhookBody.ReadAsync(context.Request, options.Value.MaxBodyBytes, ct);
                var notifications = Notifications(body);
                var ids = notifications.Select(n => n.SubscriptionId).Distinct(StringComparer.Ordinal).ToList();
                var rows = await db.Set<ChangeSubscription>().AsNoTracking()
                    .Where(s => s.Kind == ChangeSubscriptionKinds.Microsoft && ids.Contains(s.ExternalId)).ToListAsync(ct);
                // Every item must carry its own subscription's secret; one forged item refuses the whole batch (nothing is queued).
                foreach (var notification in notifications)
                {
                    var row = rows.FirstOrDefault(r => r.ExternalId == notification.SubscriptionId);
                    if (!WebhookGuard.SecretMatches(row?.SecretHash, notification.ClientState))
                    {
                        throw new UnauthorizedException(WebhookErrors.InvalidSignature, "The notification's clientState does not match its subscription");
                    }
                }

                var integrationIds = rows.Select(r => r.IntegrationId).Distinct(StringComparer.Ordinal).ToList();
                var queued = await trigger.RequestAsync(integrationIds, ct);
                return Results.Accepted(null, Envelope.Of(new WebhookResult(integrationIds.Count, queued)));
            })
            .WithName("MicrosoftWebhookNotification")
            .WithSummary("Microsoft Graph change notification (or validation): queues an incremental sync of the subscribed integration.")
            .WithDescription("Answers only when Webhooks:PublicBaseUrl is set. With ?validationToken= it echoes the token as text/plain (Graph's "
                + "validation handshake). Otherwise each item's clientState must match the secret of the subscription it names (checked in constant "
                + "time), else 401 and nothing is queued; notifications for one integration are coalesced (at most one sync runs and one waits).")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .Produces<Envelope<WebhookResult>>(StatusCodes.Status202Accepted)
            .Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest)
            .Produces<ErrorEnvelope>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorEnvelope>(StatusCodes.Status404NotFound)
            .Produces<ErrorEnvelope>(StatusCodes.Status413PayloadTooLarge);
    }

    private sealed record Notification(string SubscriptionId, string? ClientState);

    private static List<Notification> Notifications(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("value", out var value)
                || value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 or > MaxNotifications)
            {
                throw new BadRequestException(WebhookErrors.InvalidInput, "The notification must have a non-empty value array");
            }

            return [.. value.EnumerateArray().Select(item => new Notification(
                Str(item, "subscriptionId") is { Length: > 0 and <= 128 } id ? id : throw new UnauthorizedException(WebhookErrors.InvalidSignature, "A notification names no subscription"),
                Str(item, "clientState")))];
        }
        catch (JsonException)
        {
            throw new BadRequestException(WebhookErrors.InvalidInput, "The notification body is not JSON");
        }
    }

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
