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

    public HttpClient Client() => new(this) { BaseAddress = new Uri("http://console.test/") };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request.RequestUri!);
        var (status, body) = _answer(request);
        return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}

internal sealed class FixedToken : Mwap.WebConsole.Services.ITokenSource
{
    public ValueTask<string?> GetTokenAsync() => ValueTask.FromResult<string?>("test-token");
}
