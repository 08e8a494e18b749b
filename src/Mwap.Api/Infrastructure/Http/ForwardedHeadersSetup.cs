using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Mwap.Api.Infrastructure.Http;

/// <summary>
/// Behind a load balancer the connection comes from the proxy: without this, every anonymous caller shares the proxy's
/// rate-limit bucket, the audit log records the proxy's address and <c>IsHttps</c> is false. Only proxies named in
/// <c>Http:KnownProxies</c> / <c>Http:KnownNetworks</c> are believed; with neither set (the default) the middleware is not
/// installed and forwarded headers are ignored from everyone. <c>X-Forwarded-Host</c> is never used: the OAuth redirect
/// URI may be built from the host.
/// </summary>
internal static class ForwardedHeadersSetup
{
    public static IApplicationBuilder UseTrustedForwardedHeaders(this IApplicationBuilder app)
    {
        var http = app.ApplicationServices.GetRequiredService<IOptions<HttpOptions>>().Value;
        var proxies = Entries(http.KnownProxies);
        var networks = Entries(http.KnownNetworks);
        if (proxies.Count == 0 && networks.Count == 0)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // Walk back through every trusted hop; the first untrusted address is the client.
            ForwardLimit = null,
        };
        // ASP.NET trusts loopback by default; only what is configured is trusted here.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (var network in networks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }

        return app.UseForwardedHeaders(options);
    }

    /// <summary>Start-up check: every configured proxy and network parses, so a typo fails the start instead of trusting nothing silently.</summary>
    public static bool Valid(HttpOptions options) =>
        Entries(options.KnownProxies).All(p => IPAddress.TryParse(p, out _)) &&
        Entries(options.KnownNetworks).All(n => System.Net.IPNetwork.TryParse(n, out _));

    // An empty entry (e.g. an environment variable set to nothing) means nothing, not an error.
    private static List<string> Entries(string?[]? values) =>
        [.. (values ?? []).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim())];
}
