using Mwap.FakeProviders.Tokens;

namespace Mwap.FakeProviders.Hosting;

/// <summary>Reads and checks the bearer access token of an API call; each provider turns a failure into its own 401.</summary>
internal static class Bearer
{
    public static string? From(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;
    }

    public static TokenCheck Check(HttpRequest request, FakeProviderState provider, out IssuedToken? token) =>
        provider.Tokens.Check(From(request), FakeTokenKind.AccessToken, out token);
}
