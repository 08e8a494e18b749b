using System.Text.Json.Nodes;
using Mwap.FakeProviders.Hosting;
using Mwap.FakeProviders.Tokens;

namespace Mwap.FakeProviders.Microsoft;

internal static class GraphAuth
{
    public static FakeResult? Reject(HttpContext context, FakeProviderState provider)
    {
        if (Bearer.From(context.Request) is null)
        {
            return GraphErrors.Result(401, "InvalidAuthenticationToken", "Access token is empty.");
        }

        return Bearer.Check(context.Request, provider, out _) switch
        {
            TokenCheck.Valid => null,
            var check => GraphErrors.InvalidToken(expired: check == TokenCheck.Expired),
        };
    }

    /// <summary>Applies <c>$select</c> (top-level members); OData annotations such as <c>@odata.context</c> always stay.</summary>
    public static JsonObject Select(HttpRequest request, JsonObject source)
    {
        var select = request.Query["$select"].ToString();
        if (select.Length == 0)
        {
            return source;
        }

        var wanted = select.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = new JsonObject();
        foreach (var (name, value) in source)
        {
            if (name.StartsWith('@') || wanted.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                result[name] = value?.DeepClone();
            }
        }

        return result;
    }
}
