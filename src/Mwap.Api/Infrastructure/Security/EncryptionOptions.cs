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
