using System.Security.Cryptography;
using Mwap.Api.Infrastructure.Http;

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

    /// <summary>
    /// The secret a provider echoed against the stored SHA-256 (hex), in constant time. The hash is computed even when
    /// there is nothing to compare with, so an unknown subscription takes as long as a wrong secret.
    /// </summary>
    public static bool SecretMatches(string? storedHash, string? secret)
    {
        var actual = ChangeSubscriptionService.Hash(secret ?? "");
        var expected = storedHash is { Length: 64 } && storedHash.All(char.IsAsciiHexDigit) ? Convert.FromHexString(storedHash) : new byte[32];
        return CryptographicOperations.FixedTimeEquals(actual, expected) && storedHash is not null && !string.IsNullOrEmpty(secret);
    }
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
