using Mwap.Api.Infrastructure.Cli;

namespace Mwap.Api.Tests.Infrastructure.Cli;

/// <summary>How the command line splits into the verb, its arguments and the host's configuration.</summary>
public sealed class CliCommandLineTests
{
    private static CliCommandLine Parse(params string[] args) => CliCommandLine.Parse(args, CliVerbs.All);

    [Fact]
    public void NoVerb_RunsTheServer_WithEveryArgumentAsConfiguration()
    {
        var parsed = Parse("--urls", "http://0.0.0.0:8080", "--Database:Provider=Postgres");
        Assert.Null(parsed.Invocation);
        Assert.Null(parsed.Error);
        Assert.Equal(["--urls", "http://0.0.0.0:8080", "--Database:Provider=Postgres"], parsed.HostArgs);
    }

    [Theory]
    [InlineData("migrate", "--Database:DataDirectory=/x")]
    [InlineData("migrate", "--Database:DataDirectory", "/x")]
    [InlineData("--Database:DataDirectory", "/x", "migrate")]
    public void Verb_PassesConfigurationToTheHost_InEitherForm(params string[] args)
    {
        var parsed = Parse(args);
        Assert.Equal("migrate", parsed.Invocation?.Verb.Name);
        Assert.Equal(["--Database:DataDirectory=/x"], parsed.HostArgs);
    }

    [Fact]
    public void VerbOptions_StayWithTheVerb_AndTheRestIsConfiguration()
    {
        var parsed = Parse("dev-token", "--sub", "auth0|a", "--hours=2", "--Auth:DevIssuer", "me");
        Assert.Equal("auth0|a", parsed.Invocation!.Option("--sub"));
        Assert.Equal(2, parsed.Invocation.IntOption("--hours", 24));
        Assert.Equal(["--Auth:DevIssuer=me"], parsed.HostArgs);
    }

    [Fact]
    public void TwoWordVerb_TakesItsPositionalArgument()
    {
        var parsed = Parse("superadmin", "add", "auth0|alice");
        Assert.Equal("superadmin add", parsed.Invocation?.Verb.Name);
        Assert.Equal(["auth0|alice"], parsed.Invocation!.Arguments);
    }

    [Theory]
    [InlineData("unknown verb 'migrat'", "migrat")]
    [InlineData("unknown providers command 'lst' (expected providers list, providers seed)", "providers", "lst")]
    [InlineData("providers needs a command: providers list, providers seed", "providers")]
    [InlineData("superadmin add needs SUB", "superadmin", "add")]
    [InlineData("migrate: unexpected argument 'now'", "migrate", "now")]
    [InlineData("dev-token needs --sub S", "dev-token")]
    [InlineData("--hours must be a whole number from 1 to 720, not '0'", "dev-token", "--sub", "a", "--hours", "0")]
    [InlineData("--hours must be a whole number from 1 to 720, not 'abc'", "dev-token", "--sub", "a", "--hours", "abc")]
    [InlineData("--batch must be a whole number from 1 to 10000, not '-5'", "keys", "rotate", "--batch", "-5")]
    [InlineData("--Database:DataDirectory needs a value (--Database:DataDirectory=VALUE or --Database:DataDirectory VALUE)", "migrate", "--Database:DataDirectory")]
    public void BadArguments_AreErrors_NeverAServer(string error, params string[] args)
    {
        var parsed = Parse(args);
        Assert.Equal(error, parsed.Error);
        Assert.Null(parsed.Invocation);
    }

    [Fact]
    public void Usage_ListsEveryVerbOfTheTable()
    {
        var usage = CliCommandLine.UsageText(CliVerbs.All);
        Assert.All(CliVerbs.All, verb => Assert.Contains(verb.Usage, usage, StringComparison.Ordinal));
        Assert.True(Parse("--help").Help);
    }
}
