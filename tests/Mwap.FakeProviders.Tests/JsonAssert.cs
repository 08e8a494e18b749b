using System.Text.Json.Nodes;

namespace Mwap.FakeProviders.Tests;

internal static class JsonAssert
{
    public static JsonObject Object(string body) => JsonNode.Parse(body)!.AsObject();

    public static string Str(JsonNode? node, string name) => node![name]!.GetValue<string>();

    public static IReadOnlyList<string> Keys(JsonObject body) => [.. body.Select(p => p.Key).Order(StringComparer.Ordinal)];
}
