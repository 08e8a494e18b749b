using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Webhooks;

/// <summary>
/// Google Drive push notifications for a <c>changes.watch</c> channel (https://developers.google.com/drive/api/guides/push):
/// a bodiless POST whose <c>X-Goog-Channel-ID</c> names our channel, <c>X-Goog-Channel-Token</c> carries the secret we
/// gave it, <c>X-Goog-Resource-ID</c> Drive's id of the watched resource, and <c>X-Goog-Resource-State</c> is
/// <c>sync</c> once when the channel opens, then <c>change</c>.
/// </summary>
internal static class GoogleWebhookEndpoints
{
    public const string ChannelIdHeader = "X-Goog-Channel-ID";
    public const string ChannelTokenHeader = "X-Goog-Channel-Token";
    public const string ResourceStateHeader = "X-Goog-Resource-State";
    public const string ResourceIdHeader = "X-Goog-Resource-ID";

    public static void MapGoogleWebhook(this RouteGroupBuilder webhooks)
    {
        webhooks.MapPost("/google", async (HttpRequest request, MwapDbContext db, WebhookSyncTrigger trigger, IOptions<WebhooksOptions> options,
                CancellationToken ct) =>
            {
                WebhookGuard.EnsureEnabled(options.Value);
                var channelId = request.Headers[ChannelIdHeader].ToString();
                var token = request.Headers[ChannelTokenHeader].ToString();
                var resourceId = request.Headers[ResourceIdHeader].ToString();
                var row = channelId.Length is 0 or > 128 ? null : await db.Set<ChangeSubscription>().AsNoTracking()
                    .FirstOrDefaultAsync(s => s.Kind == ChangeSubscriptionKinds.Google && s.ExternalId == channelId, ct);
                if (!WebhookGuard.SecretMatches(row?.SecretHash, token) || row!.ResourceId != resourceId)
                {
                    throw new UnauthorizedException(WebhookErrors.InvalidSignature, "Unknown channel, or its token does not match");
                }

                // "sync" only says the channel is open; nothing changed.
                var queued = request.Headers[ResourceStateHeader].ToString() == "sync" ? 0 : await trigger.RequestAsync([row.IntegrationId], ct);
                return Results.Ok(Envelope.Of(new WebhookResult(1, queued)));
            })
            .WithName("GoogleWebhookNotification")
            .WithSummary("Google Drive change notification: queues an incremental sync of the channel's integration.")
            .WithDescription("Answers only when Webhooks:PublicBaseUrl is set. X-Goog-Channel-ID must name a channel this server opened and "
                + "X-Goog-Channel-Token must match its secret (checked in constant time), else 401 and nothing is queued. A 'sync' message is "
                + "acknowledged without syncing; notifications for one integration are coalesced (at most one sync runs and one waits).")
            .Produces<Envelope<WebhookResult>>()
            .Produces<ErrorEnvelope>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorEnvelope>(StatusCodes.Status404NotFound);
    }
}
