using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Mwap.FakeProviders;

namespace Mwap.Console.EndToEnd;

/// <summary>
/// The console end to end, as people use it: a superadmin seeds a provider and a project type; an owner creates a tenant,
/// connects Dropbox through the popup, creates a project with the folder picker and adds a member; the member browses,
/// searches and downloads; a stranger sees nothing. Screenshots of each main page go to docs/console/.
/// </summary>
public sealed partial class ConsoleJourneyTests(ConsoleServer server) : IClassFixture<ConsoleServer>
{
    private const string OwnerSubject = "auth0|e2e-owner";
    private const string MemberSubject = "auth0|e2e-member";

    [Fact]
    public async Task Journey_FromAnEmptyServerToAMemberDownloadingAFile()
    {
        var acme = server.Fake.Dropbox.Files.AddFolder("/Clients/Acme");
        server.Fake.Dropbox.Files.AddFile(acme, "Quarterly report.pdf");
        server.Fake.Dropbox.Files.AddFile(acme, "Readme.txt");
        var invoices = server.Fake.Dropbox.Files.AddFolder("/Clients/Acme/Invoices");
        server.Fake.Dropbox.Files.AddFiles(invoices, 60, "invoice");
        server.Fake.Dropbox.Files.AddFolder("/Clients/Globex");
        server.Fake.Dropbox.Files.AddFiles(server.Fake.Dropbox.Files.AddFolder("/Clients/Acme/" + BigFolder), 1000, "scan");

        // Superadmin: a provider from the Dropbox template (pointed at the fake) and a project type with a flat schema.
        var admin = await server.SignInAsync(ConsoleServer.AdminSubject, "Ada Admin");
        await Assertions.Expect(admin.Test("home-roles")).ToContainTextAsync("Superadmin");
        await admin.ShotAsync("home-superadmin");
        await admin.GotoAsync(server.BaseUrl + "/app/admin/providers");
        await admin.Test("template-dropbox").ClickAsync();
        await admin.FillTestAsync("provider-auth-url", server.Fake.DropboxAuthorizeUrl);
        await admin.FillTestAsync("provider-token-url", server.Fake.DropboxTokenUrl);
        await admin.FillTestAsync("provider-client-id", server.Fake.Dropbox.ClientId);
        await admin.FillTestAsync("provider-client-secret", server.Fake.Dropbox.ClientSecret);
        await admin.FillTestAsync("provider-metadata",
            $$"""{"apiBaseUrl":"{{server.Fake.DropboxApiBaseUrl}}","contentBaseUrl":"{{server.Fake.DropboxContentBaseUrl}}"}""");
        await admin.Test("provider-create").ClickAsync();
        await Assertions.Expect(admin.Test("provider-row")).ToContainTextAsync("dropbox");
        await Assertions.Expect(admin.Test("providers-table")).Not.ToContainTextAsync(server.Fake.Dropbox.ClientSecret);
        await admin.ShotAsync("admin-providers");

        await admin.GotoAsync(server.BaseUrl + "/app/admin/project-types");
        await admin.FillTestAsync("type-name", "Client folder");
        await admin.FillTestAsync("type-description", "A client's shared documents");
        await admin.FillTestAsync("type-schema", """{"inputFolder":"string","retries":"integer?"}""");
        await Assertions.Expect(admin.Test("type-preview")).ToContainTextAsync("Input folder");
        await admin.Test("type-create").ClickAsync();
        await Assertions.Expect(admin.Test("type-row")).ToContainTextAsync("Client folder");
        await admin.ShotAsync("admin-project-types");

        // Owner: tenant, Dropbox through the popup, a project on /Clients/Acme, a member.
        var owner = await server.SignInAsync(OwnerSubject, "Olive Owner");
        await Assertions.Expect(owner.Test("home-no-roles")).ToBeVisibleAsync();
        await owner.Test("nav-create-tenant").ClickAsync();
        await owner.FillTestAsync("tenant-name", "Acme Partners");
        await owner.ShotAsync("tenant-create");
        await owner.Test("tenant-save").ClickAsync();
        await owner.WaitForURLAsync(new Regex("/app/integrations$"));
        await owner.ChooseAsync("integration-provider", "Dropbox");
        await owner.Test("integration-add").ClickAsync();
        var card = owner.Test("integration-card");
        await Assertions.Expect(card).ToHaveAttributeAsync("data-status", new Regex("^(pending|inactive)$"));
        var popup = await owner.RunAndWaitForPopupAsync(() => owner.Test("integration-connect").ClickAsync());
        await popup.WaitForURLAsync(new Regex("/oauth/success"));
        await Assertions.Expect(card).ToHaveAttributeAsync("data-status", "active");
        await Assertions.Expect(card).ToContainTextAsync(DefaultAccounts.Dropbox.Email);
        await owner.ShotAsync("integrations");

        await owner.GotoAsync(server.BaseUrl + "/app/projects/new");
        await owner.FillTestAsync("project-name", "Acme documents");
        await owner.ChooseAsync("project-type", "Client folder");
        await owner.ChooseAsync("project-integration", "Dropbox");
        await owner.Test("folder-item").Filter(new LocatorFilterOptions { HasText = "Clients" }).ClickAsync();
        await owner.Test("folder-item").Filter(new LocatorFilterOptions { HasText = "Acme" }).ClickAsync();
        await Assertions.Expect(owner.Test("folder-current")).ToHaveTextAsync("/Clients/Acme");
        await owner.Test("folder-select").ClickAsync();
        await Assertions.Expect(owner.Test("project-folder")).ToHaveTextAsync("/Clients/Acme");
        await owner.Test("project-create").ClickAsync();
        await Assertions.Expect(owner.Test("api-error")).Not.ToBeVisibleAsync(); // nothing sent: the form caught the missing field
        await Assertions.Expect(owner.Locator("[data-test=config-field-inputFolder]")).ToContainTextAsync("Required");
        await owner.Locator("[data-test=config-field-inputFolder] input").FillAsync("/Clients/Acme/In");
        await owner.ShotAsync("project-new");
        await owner.Test("project-create").ClickAsync();
        await Assertions.Expect(owner.Test("project-title")).ToHaveTextAsync("Acme documents");
        var projectUrl = owner.Url;

        await owner.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Members" }).ClickAsync();
        await owner.FillTestAsync("member-user", MemberSubject);
        await owner.Test("member-add").ClickAsync();
        await Assertions.Expect(owner.Test("members-table")).ToContainTextAsync(MemberSubject);
        await Assertions.Expect(owner.Test("member-row")).ToHaveCountAsync(2);
        await owner.ShotAsync("project-members");

        // Member: browse (the index fills as the connect flow's first sync runs), page, search, download.
        var member = await server.SignInAsync(MemberSubject, "Max Member");
        await member.Test("nav-projects").ClickAsync();
        await member.Test("project-link").Filter(new LocatorFilterOptions { HasText = "Acme documents" }).ClickAsync();
        await WaitForFilesAsync(member, "Invoices");
        await member.Test("folder-link").Filter(new LocatorFilterOptions { HasText = "Invoices" }).ClickAsync();
        await Assertions.Expect(member.Test("files-breadcrumbs")).ToContainTextAsync("Invoices");
        await Assertions.Expect(member.Test("file-row")).ToHaveCountAsync(50);
        await member.Test("files-next").ClickAsync();
        await Assertions.Expect(member.Test("file-row")).ToHaveCountAsync(10);
        await Assertions.Expect(member.Test("files-page")).ToHaveTextAsync("Page 2");
        await member.Input("files-search").FillAsync("Readme");
        await member.Input("files-search").PressAsync("Enter");
        await Assertions.Expect(member.Test("file-row")).ToHaveCountAsync(1);
        await Assertions.Expect(member.Test("file-name")).ToHaveTextAsync("Readme.txt");
        await member.ShotAsync("project-files");
        var download = await member.RunAndWaitForPopupAsync(() => member.Test("download").ClickAsync());
        await download.WaitForURLAsync(new Regex("^" + Regex.Escape(server.Fake.BaseUrl)));
        Assert.Contains("Fake content of Readme.txt", await download.ContentAsync(), StringComparison.Ordinal);
        await MeasureBigFolderAsync(member, projectUrl);

        await OwnerSeesUsageAlertsAndSettingsAsync(owner, projectUrl);

        // Stranger: signed in, but no project, and the project's address answers as the API does.
        var stranger = await server.SignInAsync("auth0|e2e-stranger", "Sam Stranger");
        await stranger.Test("nav-projects").ClickAsync();
        await Assertions.Expect(stranger.Test("projects-empty")).ToBeVisibleAsync();
        await stranger.GotoAsync(projectUrl);
        await Assertions.Expect(stranger.Test("api-error-message")).ToHaveTextAsync("Project not found or user not a member");
        await Assertions.Expect(stranger.Test("file-row")).ToHaveCountAsync(0);
        await stranger.ShotAsync("stranger-project");
    }

    /// <summary>Reloads the project until the file index shows <paramref name="name"/> (the first sync runs as a job).</summary>
    private static async Task WaitForFilesAsync(IPage page, string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            await page.Locator("[data-test=files-table], [data-test=files-empty]").First.WaitForAsync();
            if (await page.Test("folder-link").Filter(new LocatorFilterOptions { HasText = name }).CountAsync() > 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"'{name}' did not appear in the project's files within 90 s");
            await page.ReloadAsync();
        }
    }
}
