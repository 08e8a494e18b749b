using Mwap.Api.Features.Import;

namespace Mwap.Api.Tests.Features.Import;

public sealed class ImportCommandTests
{
    [Fact]
    public void TryParse_AllOptions_AreRead()
    {
        Assert.True(ImportCommand.TryParse(
            ["import", "mwap", "/dump", "--legacy-key", "k", "--dry-run", "--overwrite", "--tenant", "64AB00000000000000000001", "--batch", "7", "--report", "r.json"],
            out var options, out var report, out _));

        Assert.Equal(new ImportOptions { Source = "/dump", LegacyKey = "k", DryRun = true, Overwrite = true, Tenant = "64ab00000000000000000001", Batch = 7 }, options);
        Assert.Equal("r.json", report);
    }

    [Fact]
    public void TryParse_LegacyKeyFromEnvironment_ReadsTheVariable()
    {
        var name = "MWAP_IMPORT_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-env");
        try
        {
            Assert.True(ImportCommand.TryParse(["import", "mwap", "dump", "--legacy-key-env", name], out var options, out _, out _));
            Assert.Equal("from-env", options!.LegacyKey);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Theory]
    [InlineData("import")]
    [InlineData("import mwap")]
    [InlineData("import mongo /dump")]
    [InlineData("import mwap --dry-run")]
    [InlineData("import mwap /dump --batch 0")]
    [InlineData("import mwap /dump --batch x")]
    [InlineData("import mwap /dump --frobnicate")]
    [InlineData("import mwap /dump --legacy-key a --legacy-key-env B")]
    [InlineData("import mwap /dump --legacy-key-env MWAP_IMPORT_TEST_UNSET_VARIABLE")]
    [InlineData("import mwap /dump --tenant")]
    [InlineData("import mwap /dump --report")]
    [InlineData("import mwap /dump --legacy-key")]
    public void TryParse_BadArguments_AreRefusedWithAReason(string line)
    {
        Assert.False(ImportCommand.TryParse(line.Split(' '), out var options, out _, out var error));
        Assert.Null(options);
        Assert.NotEmpty(error);
    }
}
