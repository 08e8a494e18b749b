using Microsoft.Extensions.Options;

namespace Mwap.Api.Infrastructure.Security;

/// <summary>The key ring for secrets at rest (<c>Encryption:*</c>).</summary>
internal sealed class EncryptionOptions
{
    public const string SectionName = "Encryption";

    /// <summary>Keys by id, each the base64 of 32 random bytes (<c>Encryption:Keys:{id}</c>). Keep old keys until <c>keys rotate</c> has run.</summary>
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary>The key new secrets are encrypted under.</summary>
    public string? ActiveKeyId { get; set; }
}

/// <summary>
/// The key ring's rules, checked at start-up with every other setting: in Production an active key must be configured;
/// everywhere, configured keys must be base64 of 32 bytes under ids without ':'. (Outside Production a missing ring is generated.)
/// </summary>
internal sealed class EncryptionOptionsValidator(IHostEnvironment environment) : IValidateOptions<EncryptionOptions>
{
    public ValidateOptionsResult Validate(string? name, EncryptionOptions options)
    {
        var failures = new List<string>();
        var active = options.ActiveKeyId;
        if (environment.IsProduction() && string.IsNullOrWhiteSpace(active))
        {
            failures.Add("Encryption:ActiveKeyId: required in Production: set the id of a key in Encryption:Keys (e.g. k1)");
        }

        if (environment.IsProduction() && options.Keys.Count == 0)
        {
            failures.Add("Encryption:Keys:{id}: required in Production: set Encryption:Keys:k1 to the base64 of 32 random bytes (openssl rand -base64 32)");
        }
        else if (!string.IsNullOrWhiteSpace(active) && options.Keys.Count > 0 && !options.Keys.ContainsKey(active))
        {
            failures.Add($"Encryption:Keys:{active}: Encryption:ActiveKeyId names it but it is not set: set it to the base64 of 32 random bytes");
        }

        foreach (var (id, value) in options.Keys)
        {
            if (id.Contains(':', StringComparison.Ordinal) || id.Length is 0 or > 32)
            {
                failures.Add($"Encryption:Keys:{id}: key ids are 1–32 characters without ':'");
            }
            else if (!IsKey(value))
            {
                failures.Add($"Encryption:Keys:{id}: not the base64 of 32 bytes: set it to the output of openssl rand -base64 32");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsKey(string value)
    {
        var buffer = new byte[48];
        return Convert.TryFromBase64String(value, buffer, out var length) && length == 32;
    }
}
