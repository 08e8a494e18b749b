using System.Net;
using System.Text;

namespace Mwap.Console.Tests;

/// <summary>
/// Stands in for the server's HTTP answers (the console's side only: the API itself is tested over real HTTP elsewhere).
/// Records every request so tests can assert what the component asked for.
/// </summary>
internal sealed class StubApi : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, (HttpStatusCode Status, string Body)> _answer;

    public StubApi(Func<HttpRequestMessage, (HttpStatusCode, string)> answer) => _answer = answer;

    public List<Uri> Requests { get; } = [];

    /// <summary>Every request with its method and body, for components that write.</summary>
    public List<(HttpMethod Method, string Path, string? Body)> Calls { get; } = [];

    public HttpClient Client() => new(this) { BaseAddress = new Uri("http://console.test/") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sent = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Calls)
        {
            Requests.Add(request.RequestUri!);
            Calls.Add((request.Method, request.RequestUri!.PathAndQuery, sent));
        }

        var (status, body) = _answer(request);
        return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }
}

internal sealed class FixedToken : Mwap.WebConsole.Services.ITokenSource
{
    public ValueTask<string?> GetTokenAsync() => ValueTask.FromResult<string?>("test-token");
}
