using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Mwap.FakeProviders;

namespace Mwap.Bench;

/// <summary>
/// The fake providers in a child process (this program with <c>--fake-server</c>), so that the benchmark's memory
/// figures are the server's and the job's alone: the fake keeps every token it ever issued. A line protocol on
/// stdin/stdout mints tokens, reads the Dropbox refresh counter, and (sync mode) builds a file tree, applies changes
/// to it and digests it, all in the child (<see cref="FakeTreeCommands"/>).
/// </summary>
internal sealed class FakeServerProcess : IAsyncDisposable
{
    public const string ChildFlag = "--fake-server";

    private readonly Process _process;

    private FakeServerProcess(Process process, FakeEndpoints endpoints)
    {
        _process = process;
        Endpoints = endpoints;
    }

    public FakeEndpoints Endpoints { get; }

    public static async Task<FakeServerProcess> StartAsync()
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location); // started as `dotnet Mwap.Bench.dll`
        }

        start.ArgumentList.Add(ChildFlag);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the fake provider process");
        var ready = await process.StandardOutput.ReadLineAsync()
            ?? throw new InvalidOperationException("The fake provider process exited before it was ready");
        return new FakeServerProcess(process, JsonSerializer.Deserialize<FakeEndpoints>(ready)!);
    }

    /// <summary>Dropbox tokens as a completed authorization would mint them (access token, refresh token).</summary>
    public Task<List<(string Access, string Refresh)>> IssueDropboxTokensAsync(int count) => IssueAsync($"issue {count}", count);

    /// <summary>Tokens of one fake provider (google, dropbox, onedrive), with the scopes the server asks for.</summary>
    public Task<List<(string Access, string Refresh)>> IssueTokensAsync(string provider, int count) =>
        provider == "dropbox" ? IssueDropboxTokensAsync(count) : IssueAsync($"issue {count} {provider}", count);

    private async Task<List<(string Access, string Refresh)>> IssueAsync(string command, int count)
    {
        var tokens = new List<(string, string)>(count);
        var answer = await AskAsync(command);
        while (answer != "end")
        {
            var parts = answer.Split('\t');
            tokens.Add((parts[0], parts[1]));
            answer = await ReadAsync();
        }

        return tokens;
    }

    /// <summary>Token-endpoint requests with grant_type=refresh_token the fake Dropbox has seen.</summary>
    public async Task<int> DropboxRefreshRequestsAsync() => int.Parse(await AskAsync("refreshes"), CultureInfo.InvariantCulture);

    /// <summary>The child's peak resident set, in bytes.</summary>
    public async Task<long> PeakWorkingSetAsync() => long.Parse(await AskAsync("peak"), CultureInfo.InvariantCulture);

    /// <summary>Sends a command whose answer is one line; an answer starting with "error" throws.</summary>
    public async Task<string> AskAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        return await ReadAsync();
    }

    private async Task<string> ReadAsync()
    {
        var line = await _process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The fake provider process exited");
        return line.StartsWith("error", StringComparison.Ordinal) ? throw new InvalidOperationException("Fake provider process: " + line) : line;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.StandardInput.WriteLineAsync("quit");
            await _process.StandardInput.FlushAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    /// <summary>The child: serves the fakes until stdin closes or says <c>quit</c>.</summary>
    public static async Task<int> RunChildAsync()
    {
        await using var server = await FakeProviderServer.StartAsync();
        var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        var input = new StreamReader(Console.OpenStandardInput());
        var dropbox = server.Dropbox;
        await output.WriteLineAsync(JsonSerializer.Serialize(new FakeEndpoints(
            server.DropboxAuthorizeUrl, server.DropboxTokenUrl, server.DropboxApiBaseUrl, server.DropboxContentBaseUrl, dropbox.ClientId, dropbox.ClientSecret)
        {
            Google = new FakeEndpoints(server.GoogleAuthorizeUrl, server.GoogleTokenUrl, server.GoogleApiBaseUrl, null, server.Google.ClientId, server.Google.ClientSecret),
            OneDrive = new FakeEndpoints(server.MicrosoftAuthorizeUrl, server.MicrosoftTokenUrl, server.GraphApiBaseUrl, null, server.Microsoft.ClientId, server.Microsoft.ClientSecret),
        }));
        await output.FlushAsync();
        while (await input.ReadLineAsync() is { } line && line != "quit")
        {
            var command = line.Split(' ');
            switch (command[0])
            {
                case "issue":
                    var issuer = command.Length > 2 ? FakeTreeCommands.State(server, command[2]) : dropbox;
                    var scopes = command.Length > 2 ? FakeTreeCommands.Scopes(command[2]) : null;
                    for (var i = int.Parse(command[1], CultureInfo.InvariantCulture); i > 0; i--)
                    {
                        var tokens = issuer.IssueTokens(scopes);
                        await output.WriteLineAsync($"{tokens.AccessToken}\t{tokens.RefreshToken}");
                    }

                    await output.WriteLineAsync("end");
                    break;
                case "refreshes":
                    await output.WriteLineAsync(dropbox.RefreshRequests.ToString(CultureInfo.InvariantCulture));
                    break;
                case "peak":
                    using (var self = Process.GetCurrentProcess())
                    {
                        await output.WriteLineAsync(self.PeakWorkingSet64.ToString(CultureInfo.InvariantCulture));
                    }

                    break;
                case "tree" or "changes" or "digest":
                    await output.WriteLineAsync(FakeTreeCommands.Run(server, command));
                    break;
                default:
                    await output.WriteLineAsync("error unknown command " + command[0]);
                    break;
            }

            await output.FlushAsync();
        }

        return 0;
    }
}

/// <summary>
/// Where the fake Dropbox listens and the OAuth client registered with it; <see cref="Google"/> and
/// <see cref="OneDrive"/> are the same for the other two fakes (no content base URL).
/// </summary>
internal sealed record FakeEndpoints(string AuthorizeUrl, string TokenUrl, string ApiBaseUrl, string? ContentBaseUrl, string ClientId, string ClientSecret)
{
    public FakeEndpoints? Google { get; init; }
    public FakeEndpoints? OneDrive { get; init; }

    /// <summary>The endpoints of <c>google</c>, <c>dropbox</c> or <c>onedrive</c>.</summary>
    public FakeEndpoints For(string provider) => provider switch
    {
        "google" => Google!,
        "onedrive" => OneDrive!,
        _ => this,
    };
}
