using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Tests.Infrastructure.Security;

/// <summary>The one way handed-out secrets (browser bindings, webhook tokens) are stored and checked.</summary>
public sealed class SecretHashTests
{
    [Fact]
    public void TheStoredForm_IsTheSha256InLowerCaseHex_NotTheSecret()
    {
        // SHA-256("abc") from FIPS 180-2, appendix B.1.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", SecretHash.ToHex("abc"));
    }

    [Fact]
    public void ThePresentedSecret_MatchesItsHash_InEitherCase()
    {
        var stored = SecretHash.ToHex("s3cret");

        Assert.True(SecretHash.Matches("s3cret", stored));
        Assert.True(SecretHash.Matches("s3cret", stored.ToUpperInvariant()));
    }

    [Theory]
    [InlineData("other", "s3cret")]
    [InlineData("", "")]
    [InlineData(null, "s3cret")]
    public void AWrongOrMissingSecret_DoesNotMatch(string? presented, string secret)
    {
        Assert.False(SecretHash.Matches(presented, SecretHash.ToHex(secret)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-hex-not-hex-not-hex-not-hex-not-hex-not-hex-not-hex-not-hex!")]
    [InlineData("ba7816bf")]
    public void AMissingOrMalformedStoredHash_NeverMatches(string? stored)
    {
        Assert.False(SecretHash.Matches("abc", stored));
        Assert.False(SecretHash.Matches("", stored));
    }

    [Fact]
    public void AnAllZeroStoredHash_DoesNotMatchAnEmptySecret()
    {
        // The placeholder compared against when nothing is stored must not be reachable by presenting nothing.
        Assert.False(SecretHash.Matches(null, new string('0', 64)));
    }
}
