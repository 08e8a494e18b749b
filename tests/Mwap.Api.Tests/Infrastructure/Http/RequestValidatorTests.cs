using Mwap.Api.Features.Tenants;
using Mwap.Api.Infrastructure.Http;

namespace Mwap.Api.Tests.Infrastructure.Http;

public sealed class RequestValidatorTests
{
    [Fact]
    public void NestedErrors_AreReportedByDottedCamelCasePath()
    {
        var errors = RequestValidator.Validate(new CreateTenantRequest
        {
            Name = "ok name",
            Settings = new TenantSettingsInput { MaxProjects = 0, RetentionDays = 99999 },
        });
        Assert.Equal(["settings.maxProjects", "settings.retentionDays"], errors.Keys.Order());
    }

    [Fact]
    public void MissingRequiredField_IsReported()
    {
        var errors = RequestValidator.Validate(new CreateTenantRequest());
        Assert.Equal("Required", errors["name"]);
    }

    [Theory]
    [InlineData("Acme", true)]
    [InlineData("  Acme  ", true)]
    [InlineData("ab", false)]
    [InlineData("   ab   ", false)]
    [InlineData("<script>", false)]
    [InlineData("a>b c", false)]
    [InlineData("tab\there", false)]
    public void SafeText_ChecksTrimmedLengthAndCharacters(string name, bool valid)
    {
        var errors = RequestValidator.Validate(new CreateTenantRequest { Name = name });
        Assert.Equal(valid, !errors.ContainsKey("name"));
    }
}
