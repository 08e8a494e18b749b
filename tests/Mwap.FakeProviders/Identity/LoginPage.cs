using System.Net;
using System.Text;

namespace Mwap.FakeProviders.Identity;

/// <summary>
/// The issuer's login page: type the subject (and a name and email) you sign in as, like a test user on Auth0's
/// Universal Login. The authorize request's parameters ride along as hidden fields, so the form posts the whole request
/// back and the issuer checks it again before issuing a code. Every value is HTML-encoded.
/// </summary>
internal static class LoginPage
{
    private static readonly string[] UserFields = ["sub", "name", "email"];

    public static string Render(string action, IReadOnlyDictionary<string, string> request, string? error)
    {
        var hidden = new StringBuilder();
        foreach (var (name, value) in request.Where(p => !UserFields.Contains(p.Key)))
        {
            hidden.Append($"""<input type="hidden" name="{E(name)}" value="{E(value)}">""").Append('\n');
        }

        var problem = error is null ? "" : $"""<p class="error" data-test="issuer-error">{E(error)}</p>""";
        return Shell("Sign in · Fake issuer", $"""
            <h1>Sign in</h1>
            <p>to <b>{E(request.GetValueOrDefault("client_id") ?? "")}</b> (fake OIDC issuer: type who you are)</p>
            {problem}
            <form method="post" action="{E(action)}">
            {hidden}<label>Subject <input name="sub" data-test="issuer-sub" autocomplete="off" required></label>
            <label>Name <input name="name" data-test="issuer-name" autocomplete="off"></label>
            <label>Email <input name="email" type="email" data-test="issuer-email" autocomplete="off"></label>
            <button type="submit" data-test="issuer-submit">Continue</button>
            </form>
            """);
    }

    public static string Message(string title, string text) => Shell(title, $"<h1>{E(title)}</h1><p data-test=\"issuer-message\">{E(text)}</p>");

    private static string Shell(string title, string body) => $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>{E(title)}</title>
        <style>body{"{"}font-family:system-ui,sans-serif;max-width:420px;margin:3rem auto{"}"} label{"{"}display:block;margin:.6rem 0{"}"}
        input{"{"}display:block;width:100%;padding:.4rem{"}"} .error{"{"}color:#b00{"}"}</style></head>
        <body>{body}</body></html>
        """;

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
