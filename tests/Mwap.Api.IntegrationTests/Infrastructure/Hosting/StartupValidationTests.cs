using Microsoft.Extensions.Logging;

namespace Mwap.Api.IntegrationTests.Infrastructure.Hosting;

/// <summary>The server as a real process: what it says when settings are missing, and how it logs.</summary>
public sealed class StartupValidationTests
{
    private static string NewDirectory() => Directory.CreateTempSubdirectory("mwap-startup-").FullName;

    [Fact]
    public async Task Production_WithNothingConfigured_ListsEveryMissingSettingAtOnce_WithoutAStackTrace()
    {
        var (exitCode, stdout, stderr) = await DevModeTests.RunVerbAsync("Production", NewDirectory());

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("Configuration error: the server cannot start (environment Production)", lines[0], StringComparison.Ordinal);
        foreach (var key in new[] { "Auth:Authority", "Encryption:ActiveKeyId", "Encryption:Keys:{id}", "OAuth:StateSecret", "OAuth:RedirectUri" })
        {
            var line = Assert.Single(lines, l => l.StartsWith(key + ":", StringComparison.Ordinal));
            Assert.Contains("set ", line, StringComparison.Ordinal);
        }

        Assert.Equal(6, lines.Length);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staging_WithoutAuthority_RefusesToStart_NamingTheSetting_AndRefusesDevTokens()
    {
        var directory = NewDirectory();
        var (exitCode, _, stderr) = await DevModeTests.RunVerbAsync("Staging", directory);
        Assert.Equal(1, exitCode);
        var line = Assert.Single(stderr.Split('\n'), l => l.Contains("Auth:Authority", StringComparison.Ordinal));
        Assert.StartsWith("  Auth:Authority: required outside Development", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(directory, "dev-signing-key.pem")), "no development signing key outside Development");

        var token = await DevModeTests.RunVerbAsync("Staging", directory, "dev-token", "--sub", "auth0|x");
        Assert.Equal(1, token.ExitCode);
        Assert.Equal("", token.Stdout);
        Assert.Contains("only in the Development environment (this is Staging)", token.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_AreTextInDevelopment_JsonElsewhere_AndChosenWithLoggingFormat()
    {
        string[] Verbose(string directory, params string[] extra) =>
            ["migrate", "--Database:DataDirectory", directory, "--Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore.Migrations=Information", .. extra];

        var development = await DevModeTests.RunVerbAsync("Development", NewDirectory(), Verbose(NewDirectory()));
        Assert.True(development.ExitCode == 0, development.Stderr);
        Assert.Matches(@"(?m)^\[\d\d:\d\d:\d\d INF\] Applying migration '", development.Stderr);
        Assert.DoesNotContain("{\"@t\"", development.Stderr, StringComparison.Ordinal);

        var testing = await DevModeTests.RunVerbAsync("Testing", NewDirectory(), Verbose(NewDirectory()));
        Assert.True(testing.ExitCode == 0, testing.Stderr);
        Assert.Matches("(?m)^\\{\"@t\":\"[^\"]+\",\"@m\":\"Applying migration", testing.Stderr);

        var chosen = await DevModeTests.RunVerbAsync("Development", NewDirectory(), Verbose(NewDirectory(), "--Logging:Format=json"));
        Assert.True(chosen.ExitCode == 0, chosen.Stderr);
        Assert.Matches("(?m)^\\{\"@t\":", chosen.Stderr);
        Assert.DoesNotMatch(@"(?m)^\[\d\d:\d\d:\d\d INF\]", chosen.Stderr);
    }
}

/// <summary>A healthy first start on an empty database (fresh SQLite file or freshly created PostgreSQL database) logs no error.</summary>
public sealed class FirstStartTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    [Fact]
    public async Task FirstStart_OnAnEmptyDatabase_LogsNoErrors()
    {
        Assert.Equal(System.Net.HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/health/ready")).StatusCode);
        var errors = factory.Logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.AllText).ToList();
        Assert.True(errors.Count == 0, "Error-level logs on a healthy first start:\n" + string.Join("\n", errors));
    }
}
