using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Mwap.Api.IntegrationTests.Infrastructure;

/// <summary>Reads MWAP envelopes and asserts their shape.</summary>
public static class HttpAssertions
{
    /// <summary>Asserts a success envelope with <paramref name="status"/> and returns its <c>data</c>.</summary>
    public static async Task<JsonElement> ReadDataAsync(this HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        Assert.True(document.RootElement.GetProperty("success").GetBoolean(), body);
        return document.RootElement.GetProperty("data").Clone();
    }

    public static async Task<JsonElement> ReadDataAsync(this Task<HttpResponseMessage> response, HttpStatusCode status = HttpStatusCode.OK) =>
        await (await response).ReadDataAsync(status);

    /// <summary>Asserts an MWAP error envelope with <paramref name="status"/> and <paramref name="code"/>; returns <c>error</c>.</summary>
    public static async Task<JsonElement> AssertErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.False(root.GetProperty("success").GetBoolean());
        var error = root.GetProperty("error").Clone();
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("traceId").GetString()));
        return error;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body);

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string url, object body) =>
        client.PatchAsJsonAsync(url, body);

    /// <summary>Sends <paramref name="rawBody"/> exactly as given, for malformed-input tests.</summary>
    public static Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string url, string rawBody,
        string contentType = "application/json") =>
        client.SendAsync(new HttpRequestMessage(method, url) { Content = new StringContent(rawBody, System.Text.Encoding.UTF8, contentType) });
}
