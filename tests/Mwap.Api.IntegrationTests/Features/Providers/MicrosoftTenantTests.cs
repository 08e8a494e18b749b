using System.Net;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;

namespace Mwap.Api.IntegrationTests.Features.Providers;

/// <summary>
/// Issue 12 item 8: a single-tenant Microsoft app registration is refused on <c>/common</c> (AADSTS50194); the
/// provider's <c>metadata.tenant</c> puts its tenant into the authorize and token URLs.
/// </summary>
public sealed class MicrosoftTenantTests(ConnectFlowApiFactory factory) : IClassFixture<ConnectFlowApiFactory>
{
    private const string Tenant = "contoso.onmicrosoft.com";

    [Fact]
    public async Task SingleTenantRegistration_ConnectsThroughTheConfiguredTenant_AndRefreshesThere()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("admin"));
        var providerUrl = "/api/v1/cloud-providers/" + factory.ProviderIds[FakeProvider.Microsoft];
        factory.Fake.Microsoft.SingleTenant = Tenant;
        try
        {
            await (await admin.PatchJsonAsync(providerUrl, new { metadata = new { apiBaseUrl = factory.Fake.GraphApiBaseUrl, tenant = "../evil" } }))
                .AssertErrorAsync(HttpStatusCode.BadRequest, "cloud-provider/invalid-input");
            (await admin.PatchJsonAsync(providerUrl, new { metadata = new { apiBaseUrl = factory.Fake.GraphApiBaseUrl, tenant = Tenant } })).EnsureSuccessStatusCode();

            var connection = await Connection.CreateAsync(factory, FakeProvider.Microsoft);
            var url = (await connection.InitiateAsync()).GetProperty("authorizationUrl").GetString()!;
            Assert.StartsWith($"{factory.Fake.MicrosoftLoginBaseUrl}/{Tenant}/oauth2/v2.0/authorize?", url, StringComparison.Ordinal);
            var redirect = await Connection.AuthorizeAtProviderAsync(url);
            Assert.StartsWith("/api/v1/oauth/success", await Connection.CallbackAsync(factory, redirect, connection.BrowserCookie), StringComparison.Ordinal);

            var before = factory.Fake.Microsoft.RefreshRequests;
            (await connection.Owner.PostAsync(connection.IntegrationUrl + "/refresh-token", null)).EnsureSuccessStatusCode();
            Assert.Equal(before + 1, factory.Fake.Microsoft.RefreshRequests);
        }
        finally
        {
            factory.Fake.Microsoft.SingleTenant = null;
            (await admin.PatchJsonAsync(providerUrl, new { metadata = new { apiBaseUrl = factory.Fake.GraphApiBaseUrl } })).EnsureSuccessStatusCode();
        }
    }
}
