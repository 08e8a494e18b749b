namespace Mwap.Api.Tests.Features.AuditLog;

public sealed class AuditLogSanitizeTests
{
    [Fact]
    public void SecretNamedKeys_AreRedacted_AtAnyDepth()
    {
        var json = Mwap.Api.Features.AuditLog.AuditLog.Sanitize(new
        {
            name = "Acme",
            clientSecret = "s3cr3t",
            nested = new { accessToken = "tok", list = new[] { new { refresh_token = "r", ok = 1 } } },
        });
        Assert.DoesNotContain("s3cr3t", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"tok\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"r\"", json, StringComparison.Ordinal);
        Assert.Contains("Acme", json, StringComparison.Ordinal);
        Assert.Contains("\"ok\":1", json, StringComparison.Ordinal);
    }
}
