using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Integrations.Dropbox;
using Mwap.Api.Features.Integrations.Providers;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Webhooks;

/// <summary>
/// Dropbox webhooks (https://www.dropbox.com/developers/reference/webhooks): a <c>GET ?challenge=</c> that must be
/// echoed as text, then <c>POST</c>s whose <c>X-Dropbox-Signature</c> is the hex HMAC-SHA256 of the raw body keyed
/// with the app secret, listing the account ids whose files changed.
/// </summary>
internal static class DropboxWebhookEndpoints
{
    public const string SignatureHeader = "X-Dropbox-Signature";
    private const int MaxAccounts = 1000;

    public static void MapDropboxWebhook(this RouteGroupBuilder webhooks)
    {
        webhooks.MapGet("/dropbox", (string? challenge, HttpContext context, IOptions<WebhooksOptions> options) =>
            {
                WebhookGuard.EnsureEnabled(options.Value);
                if (string.IsNullOrEmpty(challenge) || challenge.Length > 256)
                {
                    throw new BadRequestException(WebhookErrors.InvalidInput, "A challenge of 1 to 256 characters is required");
                }

                // Dropbox's verification: the challenge back as the whole body, text, not sniffable as HTML.
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return Results.Text(challenge, "text/plain");
            })
            .WithName("DropboxWebhookVerification")
            .WithSummary("Dropbox webhook verification: echoes the challenge.")
            .WithDescription("Answers only when Webhooks:PublicBaseUrl is set. Register {PublicBaseUrl}/api/v1/webhooks/dropbox as the app's webhook URI.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest)
            .Produces<ErrorEnvelope>(StatusCodes.Status404NotFound);

        webhooks.MapPost("/dropbox", async (HttpRequest request, MwapDbContext db, ProviderRegistry providers, WebhookSyncTrigger trigger,
                IOptions<WebhooksOptions> options, CancellationToken ct) =>
            {
                WebhookGuard.EnsureEnabled(options.Value);
                var body = await WebhookBody.ReadAsync(request, options.Value.MaxBodyBytes, ct);
                var providerIds = await VerifiedProvidersAsync(db, providers, body, request.Headers[SignatureHeader].ToString(), ct);
                var accounts = Accounts(body);
                var integrationIds = accounts.Count == 0 ? [] : await db.Set<CloudIntegration>().AsNoTracking()
                    .Where(i => providerIds.Contains(i.ProviderId) && i.Account.ProviderUserId != null && accounts.Contains(i.Account.ProviderUserId))
                    .Select(i => i.Id).ToListAsync(ct);
                var queued = await trigger.RequestAsync(integrationIds, ct);
                return Results.Ok(Envelope.Of(new WebhookResult(integrationIds.Count, queued)));
            })
            .WithName("DropboxWebhookNotification")
            .WithSummary("Dropbox change notification: queues an incremental sync of each linked account's integrations.")
            .WithDescription("Checks X-Dropbox-Signature (HMAC-SHA256 of the body with the app secret) in constant time. Notifications for one integration are coalesced: at most one sync runs and one waits.")
            .Produces<Envelope<WebhookResult>>()
            .Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest)
            .Produces<ErrorEnvelope>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorEnvelope>(StatusCodes.Status404NotFound)
            .Produces<ErrorEnvelope>(StatusCodes.Status413PayloadTooLarge);
    }

    /// <summary>The Dropbox provider records whose app secret signed this body; none is a 401.</summary>
    private static async Task<List<string>> VerifiedProvidersAsync(MwapDbContext db, ProviderRegistry providers, byte[] body, string signature,
        CancellationToken cancellationToken)
    {
        if (signature.Length != 64 || !IsHex(signature))
        {
            throw new UnauthorizedException(WebhookErrors.InvalidSignature, "Missing or malformed webhook signature");
        }

        var expected = Convert.FromHexString(signature);
        var verified = new List<string>();
        var records = await db.Set<CloudProvider>().AsNoTracking().ToListAsync(cancellationToken);
        foreach (var provider in records.Where(p => ProviderRegistry.KindOf(p) == DropboxClient.Slug))
        {
            var secret = providers.Configure(provider).ClientSecret;
            var actual = HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), body);
            if (CryptographicOperations.FixedTimeEquals(actual, expected))
            {
                verified.Add(provider.Id);
            }
        }

        return verified.Count > 0 ? verified : throw new UnauthorizedException(WebhookErrors.InvalidSignature, "The webhook signature does not match");
    }

    private static bool IsHex(string value) => value.All(char.IsAsciiHexDigit);

    /// <summary><c>list_folder.accounts</c>: the account ids whose files changed.</summary>
    private static List<string> Accounts(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("list_folder", out var listFolder) && listFolder.ValueKind == JsonValueKind.Object
                && listFolder.TryGetProperty("accounts", out var accounts) && accounts.ValueKind == JsonValueKind.Array
                    ? [.. accounts.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!)
                        .Where(a => a.Length is > 0 and <= 200).Distinct(StringComparer.Ordinal).Take(MaxAccounts)]
                    : [];
        }
        catch (JsonException)
        {
            throw new BadRequestException(WebhookErrors.InvalidInput, "The notification body is not JSON");
        }
    }
}
