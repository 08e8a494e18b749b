using System.Text.RegularExpressions;

namespace Mwap.Api.Features.Integrations.OneDrive;

/// <summary>
/// The Microsoft identity platform authority (<c>metadata.tenant</c>): <c>common</c> (work, school and personal
/// accounts; needs a multi-tenant registration with personal accounts), <c>organizations</c> (any work or school
/// directory; multi-tenant registration), <c>consumers</c> (personal accounts only) or one directory's id or domain
/// (single-tenant registrations, which Microsoft refuses on <c>/common</c> with AADSTS50194). See
/// https://learn.microsoft.com/entra/identity-platform/msal-client-application-configuration#authority.
/// </summary>
internal static partial class MicrosoftTenant
{
    public const string MetadataKey = "tenant";
    public const string Default = "common";

    /// <summary>A path segment only: the well-known names, a GUID, or a DNS name (no slashes, no dot-dot).</summary>
    public static bool IsValid(string tenant) => tenant.Length <= 253 && Segment().IsMatch(tenant) && !tenant.Contains("..", StringComparison.Ordinal);

    /// <summary>
    /// Puts <paramref name="tenant"/> in place of the <c>common</c> segment of an authorize or token URL that still
    /// has it (the standard record's default); a URL that names another tenant is an explicit override and is kept.
    /// </summary>
    public static string Apply(string url, string tenant)
    {
        const string Marker = "/common/oauth2/";
        var at = url.IndexOf(Marker, StringComparison.Ordinal);
        return at < 0 || tenant == Default ? url : url[..at] + "/" + tenant + url[(at + "/common".Length)..];
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9.-]*$")]
    private static partial Regex Segment();
}
