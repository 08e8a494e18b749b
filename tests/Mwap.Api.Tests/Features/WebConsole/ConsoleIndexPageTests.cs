using System.Text.Json;
using Mwap.Api.Features.WebConsole;

namespace Mwap.Api.Tests.Features.WebConsole;

public sealed class ConsoleIndexPageTests
{
    private const string Html = """
        <html><head>
            <base href="/app/" />
        </head><body>
            <script defer src="/_content/Microsoft.AspNetCore.Components.WebAssembly.Authentication/AuthenticationService.js" data-mwap-oidc></script>
            <script src="js/console.js"></script>
        </body></html>
        """;

    [Fact]
    public void Render_KeepsAConfiguredValueInsideItsBlock_EvenOneThatLooksLikeMarkup()
    {
        var config = new ConsoleConfigResponse("https://issuer.example/", "</script><script>alert(1)</script>", ["openid"], "aud", DevSignIn: false);

        var html = ConsoleIndexPage.Render(Html, config);

        Assert.DoesNotContain("</script><script>", html, StringComparison.Ordinal);
        var start = html.IndexOf("type=\"application/json\">", StringComparison.Ordinal) + "type=\"application/json\">".Length;
        var json = html[start..html.IndexOf("</script>", start, StringComparison.Ordinal)];
        Assert.Equal("</script><script>alert(1)</script>", JsonDocument.Parse(json).RootElement.GetProperty("clientId").GetString());
        Assert.Contains("data-mwap-oidc", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_InDevelopmentMode_DropsOnlyTheOidcScript()
    {
        var html = ConsoleIndexPage.Render(Html, new ConsoleConfigResponse(null, null, ["openid"], "aud", DevSignIn: true));

        Assert.DoesNotContain("AuthenticationService.js", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"js/console.js\"></script>", html, StringComparison.Ordinal);
        Assert.Contains("\"devSignIn\":true", html, StringComparison.Ordinal);
    }
}
