using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Mwap.Api.IntegrationTests.Infrastructure.Hosting;

/// <summary>Development mode exactly as DESIGN.md §5: the Development environment and no authority configured.</summary>
public sealed class DevModeApiFactory : MwapApiFactory
{
    protected override string EnvironmentName => "Development";

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } =
        new Dictionary<string, string?> { ["Auth:Authority"] = "", ["Auth:Audience"] = "" };
}

public sealed class ProductionWithoutAuthorityFactory : MwapApiFactory
{
    protected override string EnvironmentName => "Production";
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?> { ["Auth:Authority"] = "" };
}

public sealed class DevModeTests(DevModeApiFactory factory) : IClassFixture<DevModeApiFactory>
{
    [Fact]
    public async Task DevTokenVerb_PrintsOnlyAToken_ThatTheServerAccepts()
    {
        var (exitCode, stdout, _) = await RunVerbAsync("Development", factory.Database.Directory, "dev-token", "--sub", "auth0|cli-user", "--email", "cli@example.test", "--name", "Cli User");

        Assert.Equal(0, exitCode);
        var token = stdout.TrimEnd('\n');
        Assert.DoesNotContain('\n', token);
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        using var header = JsonDocument.Parse(Base64UrlEncoder.Decode(parts[0]));
        Assert.Equal("RS256", header.RootElement.GetProperty("alg").GetString());
        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(parts[1]));
        Assert.Equal("cli@example.test", payload.RootElement.GetProperty("email").GetString());

        var roles = await factory.CreateClientWithToken(token).GetAsync("/api/v1/users/me/roles").ReadDataAsync();
        Assert.Equal("auth0|cli-user", roles.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task DevMode_PublishesItsJwks()
    {
        var response = await factory.CreateClient().GetAsync("/.well-known/jwks.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var jwks = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var key = Assert.Single(jwks.RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.False(key.TryGetProperty("d", out _), "the private exponent must never be published");
    }

    [Fact]
    public async Task DevMode_RejectsTokensFromOtherIssuers()
    {
        var foreign = factory.Issuer.CreateToken(TestUsers.NewSubject());
        await (await factory.CreateClientWithToken(foreign).GetAsync("/api/v1/users/me/roles")).AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/unauthorized");
    }

    [Fact]
    public async Task DevTokenVerb_IsRefusedInProduction()
    {
        var (exitCode, stdout, stderr) = await RunVerbAsync("Production", factory.Database.Directory, "dev-token", "--sub", "auth0|x");
        Assert.NotEqual(0, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains("Production", stderr, StringComparison.Ordinal);
    }

    internal static Task<(int ExitCode, string Stdout, string Stderr)> RunVerbAsync(string environment, string dataDirectory, params string[] args) =>
        RunVerbAsync(environment, dataDirectory, new Dictionary<string, string>(), args);

    internal static async Task<(int ExitCode, string Stdout, string Stderr)> RunVerbAsync(string environment, string dataDirectory,
        IReadOnlyDictionary<string, string> extraEnvironment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = environment;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["Database__DataDirectory"] = dataDirectory;
        foreach (var (key, value) in extraEnvironment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A verb (or a server that should have refused to start) still running after five minutes is a failure, not a hang.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', args)}' did not exit within five minutes; stderr: {await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}

public sealed class StartupRefusalTests
{
    [Fact]
    public async Task Production_WithoutAuthority_RefusesToStart()
    {
        await using var factory = new ProductionWithoutAuthorityFactory();
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await factory.InitializeAsync());
        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        Assert.Contains(validation.Failures, f => f.Contains("Auth:Authority", StringComparison.Ordinal));
    }
}
