using System.Net;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.CloudProviders;

namespace Mwap.Api.IntegrationTests.Infrastructure.Hosting;

/// <summary>The administrative verbs, run as real processes against the database under test.</summary>
public sealed class CliVerbsTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    private Dictionary<string, string> DatabaseEnvironment(params (string Key, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = factory.Database.Provider,
            ["ConnectionStrings__Mwap"] = factory.Database.ConnectionString,
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return environment;
    }

    [Fact]
    public async Task ProvidersSeed_CreatesTheThreeStandardProviders_Once()
    {
        var environment = DatabaseEnvironment(
            ("GOOGLE_CLIENT_ID", "google-id"), ("GOOGLE_CLIENT_SECRET", "google-secret-value"),
            ("DROPBOX_CLIENT_ID", "dropbox-id"), ("DROPBOX_CLIENT_SECRET", "dropbox-secret-value"),
            ("CloudProviders__Seed__onedrive__ClientId", "ms-id"), ("CloudProviders__Seed__onedrive__ClientSecret", "ms-secret-value"));

        var (exitCode, stdout, stderr) = await DevModeTests.RunVerbAsync("Testing", factory.Database.Directory, environment, "providers", "seed");
        Assert.True(exitCode == 0, stderr);
        Assert.Contains("google-drive", stdout, StringComparison.Ordinal);

        var providers = await factory.WithDbAsync(db => db.Set<CloudProvider>().AsNoTracking().ToListAsync());
        var google = Assert.Single(providers, p => p.Slug == "google-drive");
        Assert.Equal("https://accounts.google.com/o/oauth2/v2/auth", google.AuthUrl);
        Assert.Equal("https://oauth2.googleapis.com/token", google.TokenUrl);
        Assert.Contains("https://www.googleapis.com/auth/drive.readonly", google.Scopes);
        Assert.Equal("google-id", google.ClientId);
        var dropbox = Assert.Single(providers, p => p.Slug == "dropbox");
        Assert.Equal("https://www.dropbox.com/oauth2/authorize", dropbox.AuthUrl);
        Assert.Contains("files.metadata.read", dropbox.Scopes);
        var onedrive = Assert.Single(providers, p => p.Slug == "onedrive");
        Assert.Contains("offline_access", onedrive.Scopes);
        Assert.Equal("ms-id", onedrive.ClientId);
        Assert.All(providers, p => Assert.StartsWith("mwap:v1:", p.EncryptedClientSecret, StringComparison.Ordinal));
        Assert.DoesNotContain(providers, p => p.EncryptedClientSecret.Contains("secret-value", StringComparison.Ordinal));

        var again = await DevModeTests.RunVerbAsync("Testing", factory.Database.Directory, environment, "providers", "seed");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(3, await factory.WithDbAsync(db => db.Set<CloudProvider>().CountAsync(p => p.Slug == "google-drive" || p.Slug == "dropbox" || p.Slug == "onedrive")));

        var listed = await factory.CreateClientFor(TestUsers.NewSubject()).GetAsync("/api/v1/cloud-providers");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.DoesNotContain("secret-value", await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysRotate_PrintsProgress_AndSucceeds()
    {
        var (exitCode, stdout, stderr) = await DevModeTests.RunVerbAsync("Testing", factory.Database.Directory, DatabaseEnvironment(), "keys", "rotate", "--batch", "2");
        Assert.True(exitCode == 0, stderr);
        Assert.Contains("cloud_providers.client_secret:", stdout, StringComparison.Ordinal);
        Assert.Contains("Done:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuperadminAdd_MakesTheSubjectASuperAdmin()
    {
        var sub = TestUsers.NewSubject("cli-admin");
        var (exitCode, _, stderr) = await DevModeTests.RunVerbAsync("Testing", factory.Database.Directory, DatabaseEnvironment(), "superadmin", "add", sub);
        Assert.True(exitCode == 0, stderr);
        var roles = await factory.CreateClientFor(sub).GetAsync("/api/v1/users/me/roles").ReadDataAsync();
        Assert.True(roles.GetProperty("isSuperAdmin").GetBoolean());
    }
}
