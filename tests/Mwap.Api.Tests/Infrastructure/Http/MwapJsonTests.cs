using System.Text.Json;
using Mwap.Api.Features.Tenants;
using Mwap.Api.Infrastructure.Http;

namespace Mwap.Api.Tests.Infrastructure.Http;

public sealed class MwapJsonTests
{
    [Fact]
    public void Dates_AreIsoUtcWithMillisecondsAndZ()
    {
        var json = JsonSerializer.Serialize(new { at = new DateTime(2025, 10, 9, 8, 15, 30, 123, DateTimeKind.Utc) }, MwapJson.Options);
        Assert.Equal("""{"at":"2025-10-09T08:15:30.123Z"}""", json);
    }

    [Fact]
    public void UnspecifiedKindDates_AreTreatedAsUtc()
    {
        var json = JsonSerializer.Serialize(new { at = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Unspecified) }, MwapJson.Options);
        Assert.Equal("""{"at":"2025-01-02T03:04:05.000Z"}""", json);
    }

    [Fact]
    public void SuccessEnvelope_PutsSuccessFirst()
    {
        var json = JsonSerializer.Serialize(Envelope.Of(new { a = 1 }), MwapJson.Options);
        Assert.Equal("""{"success":true,"data":{"a":1}}""", json);
    }

    [Fact]
    public void ErrorEnvelope_OmitsMissingDetails()
    {
        var json = JsonSerializer.Serialize(new ErrorEnvelope(new ErrorBody("tenant/not-found", "Tenant not found", null, "abc")), MwapJson.Options);
        Assert.Equal("""{"success":false,"error":{"code":"tenant/not-found","message":"Tenant not found","traceId":"abc"}}""", json);
    }

    [Fact]
    public void UnknownRequestFields_AreSkipped_NeverBound()
    {
        var request = JsonSerializer.Deserialize<CreateTenantRequest>("""{"name":"Acme","ownerId":"x"}""", MwapJson.Options);
        Assert.Equal(new CreateTenantRequest { Name = "Acme" }, request);
    }

    [Fact]
    public void NumbersInStrings_AreRejected()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TenantSettingsInput>("""{"maxProjects":"5"}""", MwapJson.Options));
    }
}
