using System.Net;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mwap.Api.Features.Integrations.OAuth;
using Mwap.Api.Features.Operations;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.Operations;

/// <summary>The Hangfire dashboard behind a short-lived link exchanged for a cookie, for superadmins only.</summary>
public sealed class JobsDashboardTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    private HttpClient Browser() => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private async Task<(string Subject, string Path)> LinkAsync()
    {
        var subject = TestUsers.NewSubject("admin");
        var admin = await factory.CreateSuperAdminClientAsync(subject);
        var data = await admin.PostAsync("/api/v1/admin/jobs/dashboard-link", null).ReadDataAsync();
        var path = data.GetProperty("path").GetString()!;
        Assert.StartsWith("/admin/jobs?access=", path, StringComparison.Ordinal);
        Assert.EndsWith(path, data.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.True(data.GetProperty("expiresAt").GetDateTime() <= DateTime.UtcNow.AddMinutes(5.1));
        return (subject, path);
    }

    [Fact]
    public async Task Dashboard_WithoutTheCookie_IsRefused()
    {
        var response = await Browser().GetAsync("/admin/jobs/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("Hangfire", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DashboardLink_ForANonSuperAdmin_Returns403()
    {
        var response = await factory.CreateClientFor(TestUsers.NewSubject()).PostAsync("/api/v1/admin/jobs/dashboard-link", null);

        await response.AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");
    }

    [Fact]
    public async Task FreshLink_SetsAScopedHttpOnlyCookie_AndOpensTheDashboard()
    {
        var (_, path) = await LinkAsync();
        var browser = Browser();

        var exchange = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, exchange.StatusCode);
        Assert.Equal("/admin/jobs/", exchange.Headers.Location?.OriginalString);
        var cookie = Assert.Single(exchange.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(JobsDashboard.CookieName + "=", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/admin/jobs", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        var page = await browser.GetAsync("/admin/jobs/");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("MWAP jobs", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/jobs/recurring")).StatusCode);
    }

    [Fact]
    public async Task ExpiredLink_IsRefused()
    {
        var subject = TestUsers.NewSubject("admin");
        await factory.CreateSuperAdminClientAsync(subject);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-6));
        var signer = new DashboardAccess(factory.Services.GetRequiredService<OAuthKeys>(), clock);
        var (token, _) = signer.Issue(DashboardAccess.LinkPurpose, subject);

        var response = await Browser().GetAsync("/admin/jobs?access=" + Uri.EscapeDataString(token));

        await response.AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/invalid-token");
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task ForgedLink_IsRefused()
    {
        var (_, path) = await LinkAsync();
        var token = Uri.UnescapeDataString(path[(path.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        var mac = token.Split('.')[1];
        // Same MAC, payload naming another user: the signature no longer matches.
        var forgedPayload = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes($"v1|link|{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}|auth0|mallory"));

        var forged = await Browser().GetAsync("/admin/jobs?access=" + Uri.EscapeDataString($"{forgedPayload}.{mac}"));
        var garbage = await Browser().GetAsync("/admin/jobs?access=not-a-token");

        await forged.AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/invalid-token");
        await garbage.AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/invalid-token");
    }

    [Fact]
    public async Task SessionCookie_IsNotAcceptedAsALink_AndALinkIsNotAcceptedAsACookie()
    {
        var (subject, path) = await LinkAsync();
        var linkToken = Uri.UnescapeDataString(path[(path.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        var (session, _) = factory.Services.GetRequiredService<DashboardAccess>().Issue(DashboardAccess.SessionPurpose, subject);

        var sessionAsLink = await Browser().GetAsync("/admin/jobs?access=" + Uri.EscapeDataString(session));
        var request = new HttpRequestMessage(HttpMethod.Get, "/admin/jobs/");
        request.Headers.Add("Cookie", $"{JobsDashboard.CookieName}={linkToken}");
        var linkAsCookie = await factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false }).SendAsync(request);

        await sessionAsLink.AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/invalid-token");
        Assert.Equal(HttpStatusCode.Unauthorized, linkAsCookie.StatusCode);
    }

    [Fact]
    public async Task Cookie_StopsWorking_WhenTheUserIsNoLongerASuperAdmin()
    {
        var (subject, path) = await LinkAsync();
        var browser = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/jobs/")).StatusCode);

        await factory.WithDbAsync(db => db.SuperAdmins.Where(s => s.UserId == subject).ExecuteDeleteAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/admin/jobs/")).StatusCode);
    }

    [Fact]
    public async Task Link_OpensTheDashboardOnce_ASecondExchangeIsRefused()
    {
        var (_, path) = await LinkAsync();

        var first = await Browser().GetAsync(path);
        var second = await Browser().GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        await second.AssertErrorAsync(HttpStatusCode.Unauthorized, "auth/invalid-token");
        Assert.False(second.Headers.Contains("Set-Cookie"));
        var token = QueryHelpers.ParseQuery(new Uri("http://x" + path).Query)["access"].ToString();
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        Assert.Equal(1, await factory.WithDbAsync(db => db.Set<DashboardLinkUse>().CountAsync(u => u.Id == hash)));
    }
}
