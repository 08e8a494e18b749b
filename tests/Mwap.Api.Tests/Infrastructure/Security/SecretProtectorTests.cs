using System.Security.Cryptography;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Tests.Infrastructure.Security;

public sealed class SecretProtectorTests
{
    private static readonly string KeyA = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string KeyB = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly SecretContext Row1 = new("cloud_providers", "0123456789abcdef01234567", "client_secret");

    internal static SecretProtector Create(string? active, Dictionary<string, string> keys, string environment = "Testing", string? dataDirectory = null)
    {
        var env = new TestEnvironment(environment);
        var dataPaths = new DataPaths(Options.Create(new DatabaseOptions { DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "mwap-unit-" + Guid.NewGuid().ToString("N")) }), env);
        return new SecretProtector(Options.Create(new EncryptionOptions { ActiveKeyId = active, Keys = keys }), env, dataPaths);
    }

    [Fact]
    public void GeneratedDevelopmentKey_StaysInTheRing_WhenKeysAreConfiguredBesideIt()
    {
        var data = Path.Combine(Path.GetTempPath(), "mwap-unit-" + Guid.NewGuid().ToString("N"));
        var generated = Create(null, [], dataDirectory: data);
        Assert.Equal("dev1", generated.ActiveKeyId);
        var envelope = generated.Protect("written-in-development", Row1);

        var withK2 = Create("k2", new() { ["k2"] = KeyB }, dataDirectory: data);
        Assert.Equal("k2", withK2.ActiveKeyId);
        Assert.Equal("written-in-development", withK2.Unprotect(envelope, Row1));
        Assert.StartsWith("mwap:v1:k2:", withK2.Protect("new", Row1), StringComparison.Ordinal);
    }

    [Fact]
    public void SecretUnderAKeyInNoRing_SaysWhichKeyIsMissing()
    {
        var data = Path.Combine(Path.GetTempPath(), "mwap-unit-" + Guid.NewGuid().ToString("N"));
        var envelope = Create(null, [], dataDirectory: data).Protect("x", Row1);
        var elsewhere = Create("k2", new() { ["k2"] = KeyB });
        var error = Assert.Throws<SecretUnavailableException>(() => elsewhere.Unprotect(envelope, Row1));
        Assert.StartsWith("unknown key dev1:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RoundTrip_ReturnsThePlaintext_InTheDocumentedEnvelope()
    {
        var protector = Create("a", new() { ["a"] = KeyA });
        var envelope = protector.Protect("s3cr3t-value", Row1);

        Assert.StartsWith("mwap:v1:a:", envelope, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", envelope, StringComparison.Ordinal);
        var payload = Convert.FromBase64String(envelope["mwap:v1:a:".Length..]);
        Assert.Equal(12 + "s3cr3t-value".Length + 16, payload.Length);
        Assert.Equal("s3cr3t-value", protector.Unprotect(envelope, Row1));
    }

    [Fact]
    public void SamePlaintext_EncryptsDifferentlyEachTime()
    {
        var protector = Create("a", new() { ["a"] = KeyA });
        Assert.NotEqual(protector.Protect("x", Row1), protector.Protect("x", Row1));
    }

    [Fact]
    public void TamperedCiphertext_FailsClosed()
    {
        var protector = Create("a", new() { ["a"] = KeyA });
        var envelope = protector.Protect("s3cr3t-value", Row1);
        var bytes = Convert.FromBase64String(envelope["mwap:v1:a:".Length..]);
        bytes[15] ^= 0x01;
        var tampered = "mwap:v1:a:" + Convert.ToBase64String(bytes);
        var error = Assert.Throws<SecretUnavailableException>(() => protector.Unprotect(tampered, Row1));
        Assert.Contains("failed authentication", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cloud_providers", "0123456789abcdef01234568", "client_secret")]
    [InlineData("cloud_providers", "0123456789abcdef01234567", "other_field")]
    [InlineData("cloud_integrations", "0123456789abcdef01234567", "client_secret")]
    public void CiphertextMovedToAnotherRowOrField_FailsClosed(string table, string rowId, string field)
    {
        var protector = Create("a", new() { ["a"] = KeyA });
        var envelope = protector.Protect("s3cr3t-value", Row1);
        Assert.Throws<SecretUnavailableException>(() => protector.Unprotect(envelope, new SecretContext(table, rowId, field)));
    }

    [Fact]
    public void UnknownKeyId_FailsClosed()
    {
        var old = Create("a", new() { ["a"] = KeyA }).Protect("s3cr3t-value", Row1);
        var withoutA = Create("b", new() { ["b"] = KeyB });
        var error = Assert.Throws<SecretUnavailableException>(() => withoutA.Unprotect(old, Row1));
        Assert.Contains("unknown key a:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plaintext-secret")]
    [InlineData("mwap:v1:a")]
    [InlineData("mwap:v1:a:not-base64!!")]
    [InlineData("mwap:v1:a:AAAA")]
    [InlineData("abc:def:ghi")]
    public void MalformedEnvelope_FailsClosed_NeverReturnsInput(string envelope)
    {
        var protector = Create("a", new() { ["a"] = KeyA });
        Assert.Throws<SecretUnavailableException>(() => protector.Unprotect(envelope, Row1));
    }

    [Fact]
    public void DuringRotation_OldKeyStillDecrypts_NewValuesUseTheActiveKey()
    {
        var before = Create("a", new() { ["a"] = KeyA }).Protect("s3cr3t-value", Row1);
        var during = Create("b", new() { ["a"] = KeyA, ["b"] = KeyB });

        Assert.Equal("s3cr3t-value", during.Unprotect(before, Row1));
        Assert.False(during.IsUnderActiveKey(before));
        var after = during.Protect("s3cr3t-value", Row1);
        Assert.StartsWith("mwap:v1:b:", after, StringComparison.Ordinal);
        Assert.True(during.IsUnderActiveKey(after));
        Assert.Equal("s3cr3t-value", Create("b", new() { ["b"] = KeyB }).Unprotect(after, Row1));
    }

    [Fact]
    public void Production_WithoutKeys_RefusesAndNamesTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Create(null, [], environment: "Production"));
        Assert.Contains("Encryption:ActiveKeyId", error.Message, StringComparison.Ordinal);
        Assert.Contains("Encryption:Keys", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a", "b", "Encryption:Keys:a is not set")]
    [InlineData("a", "a", "must decode to 32 bytes")]
    public void BadKeyConfiguration_IsRefusedWithTheSettingNamed(string active, string keyId, string expected)
    {
        var value = keyId == active ? Convert.ToBase64String(new byte[16]) : KeyA;
        var error = Assert.Throws<InvalidOperationException>(() => Create(active, new() { [keyId] = value }));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Development_WithoutKeys_GeneratesOneKeyIntoData_AndReusesIt()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mwap-unit-" + Guid.NewGuid().ToString("N"));
        var first = Create(null, [], environment: "Development", dataDirectory: dir);
        var envelope = first.Protect("dev-secret", Row1);
        var second = Create(null, [], environment: "Development", dataDirectory: dir);
        Assert.Equal("dev-secret", second.Unprotect(envelope, Row1));
        Assert.True(File.Exists(Path.Combine(dir, "encryption-keys.json")));
        Directory.Delete(dir, recursive: true);
    }

    private sealed class TestEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Mwap.Api";
        public string ContentRootPath { get; set; } = Path.GetTempPath();
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
