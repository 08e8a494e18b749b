namespace Mwap.FakeProviders;

/// <summary>
/// Standalone: <c>dotnet run --project tests/Mwap.FakeProviders [-- --urls http://127.0.0.1:5080]</c>.
/// A namespaced class rather than top-level statements, so that a test project referencing both this and Mwap.Api
/// still sees exactly one global <c>Program</c> for WebApplicationFactory.
/// </summary>
internal static class Program
{
    public static async Task Main(string[] args)
    {
        var port = Environment.GetEnvironmentVariable("FAKE_PROVIDERS_PORT") is { Length: > 0 } p ? p : "5080";
        var url = UrlFromArgs(args) ?? $"http://127.0.0.1:{port}";
        await using var server = await FakeProviderServer.StartAsync(new FakeProviderOptions { Url = url, SeedSampleFiles = true, LogRequests = true });
        // The console of a server on its default address may sign in against the fake issuer.
        server.Issuer.AllowRedirectUri("http://localhost:3001/app/authentication/login-callback");
        server.Issuer.AllowLogoutRedirectUri("http://localhost:3001/app/authentication/logout-callback");
        Console.WriteLine(StartupBanner.For(server));
        await server.WaitForShutdownAsync();
    }

    private static string? UrlFromArgs(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--urls=", StringComparison.Ordinal))
            {
                return args[i]["--urls=".Length..].Split(';')[0];
            }

            if (args[i] == "--urls" && i + 1 < args.Length)
            {
                return args[i + 1].Split(';')[0];
            }
        }

        return null;
    }
}
