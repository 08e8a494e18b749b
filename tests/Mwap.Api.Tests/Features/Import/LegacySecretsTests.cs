using Mwap.Api.Features.Import;

namespace Mwap.Api.Tests.Features.Import;

/// <summary>
/// Vectors made by Node's <c>crypto</c> with MWAP's own algorithm (aes-256-gcm, 16-byte random IV, 32 hex characters of
/// salt, key = UTF-8 bytes zero-padded or cut to 32): the importer must read what MWAP really wrote.
/// </summary>
public sealed class LegacySecretsTests
{
    private const string ShortKey = "correct horse battery staple";
    private const string ShortKeyValue =
        "MKb9DziDHzLcvzXt8+KO8g==:K8MnKvaGA9ycWeEuH7HJdg==:rkG/13GoBSBQHwKXhBfW0NXCvMWo2VI8CV+NDlaTW/rq/QRgPJAoyvyKchWzaOXn9lPJXLf03oc/KhY=";

    private const string LongKeyValue =
        "W0TxkeJt7ZeiVYrJVuQjjw==:mBi2iEoFdYq9p8miOIq9zw==:3poU6tEtUwskFIUuxp/RIfB6/9u7ysSIcV69jiwSsKfQ2m1lgEe5ntImV6Gv";

    [Fact]
    public void TryDecrypt_NodeVectorWithShortKey_ReturnsPlaintextWithoutSalt()
    {
        var outcome = new LegacySecrets(ShortKey).TryDecrypt(ShortKeyValue, out var plaintext);

        Assert.Equal(LegacySecrets.Outcome.Decrypted, outcome);
        Assert.Equal("sl.refresh-token-äöü-123", plaintext);
    }

    [Fact]
    public void TryDecrypt_KeyLongerThan32Bytes_UsesTheFirst32()
    {
        var key = new string('x', 40) + "-a-key-longer-than-32-bytes";

        Assert.Equal(LegacySecrets.Outcome.Decrypted, new LegacySecrets(key).TryDecrypt(LongKeyValue, out var plaintext));
        Assert.Equal("client-secret", plaintext);
        Assert.Equal(LegacySecrets.Outcome.Decrypted, new LegacySecrets(new string('x', 32)).TryDecrypt(LongKeyValue, out _));
    }

    [Fact]
    public void TryDecrypt_WrongKeyOrTamperedValue_IsUndecryptable()
    {
        Assert.Equal(LegacySecrets.Outcome.Undecryptable, new LegacySecrets("another key").TryDecrypt(ShortKeyValue, out var none));
        Assert.Equal("", none);
        var tampered = ShortKeyValue[..^6] + "AAAAA=";
        Assert.Equal(LegacySecrets.Outcome.Undecryptable, new LegacySecrets(ShortKey).TryDecrypt(tampered, out _));
        Assert.Equal(LegacySecrets.Outcome.Undecryptable, new LegacySecrets(null).TryDecrypt(ShortKeyValue, out _));
    }

    [Theory]
    [InlineData("sl.plain-refresh-token")]
    [InlineData("a:b")]
    [InlineData("not-base64:K8MnKvaGA9ycWeEuH7HJdg==:rkG/13Go")]
    [InlineData("AAAAAAAAAAAAAAAA:K8MnKvaGA9ycWeEuH7HJdg==:rkG/13Go")]
    public void TryDecrypt_ValueNotInMwapsEnvelope_IsNotEncrypted(string value) =>
        Assert.Equal(LegacySecrets.Outcome.NotEncrypted, new LegacySecrets(ShortKey).TryDecrypt(value, out _));

    [Fact]
    public void NormalizeKey_PadsWithZeros()
    {
        var key = LegacySecrets.NormalizeKey("abc");

        Assert.Equal(32, key.Length);
        Assert.Equal((byte)'c', key[2]);
        Assert.All(key[3..], b => Assert.Equal(0, b));
    }
}
