using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace Mwap.FakeProviders.Tests;

/// <summary>What a real client does over HTTP: follow no redirects, read Location, post forms, send bearer tokens.</summary>
public sealed class OAuthClient : IDisposable
{
    public const string RedirectUri = "http://localhost:3001/callback";

    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false });

    public HttpClient Http => _http;

    public static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    /// <summary>GETs the authorize URL and returns the redirect's query parameters (code/state or error).</summary>
    public async Task<Dictionary<string, string>> AuthorizeAsync(string authorizeUrl, Dictionary<string, string?> query)
    {
        using var response = await _http.GetAsync(QueryHelpers.AddQueryString(authorizeUrl, query));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(query["redirect_uri"]!, location.ToString(), StringComparison.Ordinal);
        return QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    public async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> PostFormAsync(
        string url, Dictionary<string, string> form)
    {
        var response = await _http.PostAsync(url, new FormUrlEncodedContent(form));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return (response.StatusCode, body, response);
    }

    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> SendAsync(
        HttpMethod method, string url, string? accessToken, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> GetJsonAsync(string url, string? accessToken)
    {
        var (status, body, response) = await SendAsync(HttpMethod.Get, url, accessToken);
        return (status, JsonNode.Parse(body), response);
    }

    /// <summary>A Dropbox-style RPC call: POST with a JSON body.</summary>
    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> PostJsonAsync(string url, string? accessToken, string json,
        params (string Name, string Value)[] headers) =>
        await SendAsync(HttpMethod.Post, url, accessToken, new StringContent(json, Encoding.UTF8, "application/json"), headers);

    public void Dispose() => _http.Dispose();
}
