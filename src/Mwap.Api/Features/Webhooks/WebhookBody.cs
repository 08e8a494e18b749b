using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Webhooks;

internal sealed record WebhookResult(int Integrations, int SyncsQueued);

internal static class WebhookErrors
{
    public const string Disabled = "webhooks/disabled";
    public const string InvalidSignature = "webhooks/invalid-signature";
    public const string InvalidInput = "webhooks/invalid-input";
    public const string TooLarge = "webhooks/too-large";
}

internal static class WebhookGuard
{
    public static void EnsureEnabled(WebhooksOptions options)
    {
        if (!options.Enabled)
        {
            throw new NotFoundException(WebhookErrors.Disabled, "Webhooks are not enabled on this server");
        }
    }

    /// <summary>The secret a provider echoed against the stored SHA-256 (hex), in constant time.</summary>
    public static bool SecretMatches(string? storedHash, string? secret) => SecretHash.Matches(secret, storedHash);
}

/// <summary>Reads a notification's raw body (signatures are over the exact bytes), bounded.</summary>
internal static class WebhookBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw new PayloadTooLargeException(WebhookErrors.TooLarge, "The notification is too large");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new PayloadTooLargeException(WebhookErrors.TooLarge, "The notification is too large");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

internal sealed class PayloadTooLargeException(string code, string message)
    : MwapException(StatusCodes.Status413PayloadTooLarge, code, message);
