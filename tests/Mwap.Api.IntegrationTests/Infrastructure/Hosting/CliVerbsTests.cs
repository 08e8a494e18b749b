using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.CloudProviders;

namespace Mwap.Api.IntegrationTests.Infrastructure.Hosting;

/// <summary>The administrative verbs, run as real processes against the database under test (or a fresh SQLite directory).</summary>
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
        // The CLI is another process: the running server sees the change when it next re-reads the table (within 5 s).
        var client = factory.CreateClientFor(sub);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        bool isSuperAdmin;
        do
        {
            isSuperAdmin = (await client.GetAsync("/api/v1/users/me/roles").ReadDataAsync()).GetProperty("isSuperAdmin").GetBoolean();
        }
        while (!isSuperAdmin && DateTime.UtcNow < deadline && await Task.Delay(100).ContinueWith(_ => true));

        Assert.True(isSuperAdmin);
    }

    private static string NewDirectory() => Directory.CreateTempSubdirectory("mwap-cli-").FullName;

    [Fact]
    public async Task Migrate_HonoursCommandLineConfiguration_InBothForms_AndNamesTheFile()
    {
        foreach (var form in new Func<string, string[]>[] { d => ["migrate", "--Database:DataDirectory=" + d], d => ["migrate", "--Database:DataDirectory", d] })
        {
            var directory = NewDirectory();
            var (exitCode, stdout, stderr) = await DevModeTests.RunVerbAsync("Testing", factory.Database.Directory,
                new Dictionary<string, string> { ["Database__Provider"] = "Sqlite" }, form(directory));
            Assert.True(exitCode == 0, stderr);
            Assert.True(File.Exists(Path.Combine(directory, "mwap.db")), "the command-line data directory was not used");
            Assert.Matches($"^SQLite database {System.Text.RegularExpressions.Regex.Escape(Path.Combine(directory, "mwap.db"))}: applied \\d+ migrations\\.", stdout);
        }
    }

    [Fact]
    public async Task Migrate_NamesTheConfiguredDatabase_NeverItsPassword()
    {
        const string Password = "pw-that-must-never-be-printed";
        var connectionString = factory.Database.ConnectionString + (factory.Database.Provider == "Postgres" ? $";Password={Password}" : "");
        var (exitCode, stdout, stderr) = await DevModeTests.RunVerbAsync("Testing", factory.Database.Directory,
            "migrate", "--Database:Provider", factory.Database.Provider, "--ConnectionStrings:Mwap=" + connectionString);

        Assert.True(exitCode == 0, stderr);
        Assert.EndsWith(": already up to date.", stdout.TrimEnd(), StringComparison.Ordinal);
        if (factory.Database.Provider == "Postgres")
        {
            var expected = new Npgsql.NpgsqlConnectionStringBuilder(factory.Database.ConnectionString);
            Assert.StartsWith($"PostgreSQL database '{expected.Database}' on {expected.Host}:{expected.Port}", stdout, StringComparison.Ordinal);
        }
        else
        {
            Assert.StartsWith("SQLite database /", stdout, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Password, stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mwap.Api: unknown verb 'migrat'", "migrat")]
    [InlineData("Mwap.Api: --hours must be a whole number from 1 to 720, not 'abc'", "dev-token", "--sub", "auth0|x", "--hours", "abc")]
    [InlineData("Mwap.Api: providers needs a command: providers list, providers seed", "providers")]
    public async Task BadCommandLines_PrintOneLineAndTheUsageOnStderr_AndExit2(string error, params string[] args)
    {
        var (exitCode, stdout, stderr) = await DevModeTests.RunVerbAsync("Development", NewDirectory(), args);
        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        var lines = stderr.Split('\n');
        Assert.Equal(error, lines[0]);
        Assert.StartsWith("Usage: Mwap.Api [verb]", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProvidersList_ShowsWhetherCredentialsAreStored_NeverTheSecret()
    {
        var admin = await factory.CreateSuperAdminClientAsync(TestUsers.NewSubject("list-admin"));
        var slug = "l" + Guid.NewGuid().ToString("N")[..10];
        await admin.PostJsonAsync("/api/v1/cloud-providers", new
        {
            name = "Listed " + slug,
            slug,
            scopes = new[] { "files.read" },
            authUrl = "https://auth.example.com/authorize",
            tokenUrl = "https://auth.example.com/token",
            clientId = "listed-client",
            clientSecret = "listed-secret-value",
        }).ReadDataAsync(HttpStatusCode.Created);

        var (exitCode, stdout, stderr) = await DevModeTests.RunVerbAsync("Testing", factory.Database.Directory, DatabaseEnvironment(), "providers", "list");
        Assert.True(exitCode == 0, stderr);
        Assert.StartsWith("SLUG", stdout, StringComparison.Ordinal);
        Assert.Matches($"(?m)^{slug} +Listed {slug} +yes +yes$", stdout);
        Assert.DoesNotContain("listed-secret-value", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("listed-client", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProvidersSeed_WithSomeCredentials_ReportsWhatItDidForEachProvider()
    {
        var directory = NewDirectory();
        var onlyGoogle = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["GOOGLE_CLIENT_ID"] = "g-id",
            ["GOOGLE_CLIENT_SECRET"] = "g-secret",
            ["DROPBOX_CLIENT_ID"] = "",
            ["MICROSOFT_CLIENT_ID"] = "",
        };
        var first = await DevModeTests.RunVerbAsync("Testing", directory, onlyGoogle, "providers", "seed");
        Assert.Equal(1, first.ExitCode);
        var lines = first.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("google-drive: created", lines[0]);
        Assert.StartsWith("dropbox: skipped: no client credentials (set CloudProviders:Seed:dropbox:ClientId", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("onedrive: skipped: no client credentials", lines[2], StringComparison.Ordinal);

        var second = await DevModeTests.RunVerbAsync("Testing", directory, onlyGoogle, "providers", "seed",
            "--CloudProviders:Seed:dropbox:ClientId=d-id", "--CloudProviders:Seed:dropbox:ClientSecret=d-secret");
        Assert.StartsWith("google-drive: already exists, left unchanged\ndropbox: created\nonedrive: skipped", second.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysRotate_KeepsTheGeneratedKeyInTheRing_AndNamesAKeyThatIsMissing()
    {
        var directory = NewDirectory();
        var sqlite = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["GOOGLE_CLIENT_ID"] = "g-id",
            ["GOOGLE_CLIENT_SECRET"] = "g-secret",
            ["DROPBOX_CLIENT_ID"] = "d-id",
            ["DROPBOX_CLIENT_SECRET"] = "d-secret",
            ["MICROSOFT_CLIENT_ID"] = "m-id",
            ["MICROSOFT_CLIENT_SECRET"] = "m-secret",
        };
        Assert.Equal(0, (await DevModeTests.RunVerbAsync("Testing", directory, sqlite, "providers", "seed")).ExitCode); // under the generated dev1

        var k2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var rotated = await DevModeTests.RunVerbAsync("Testing", directory, sqlite, "keys", "rotate", "--Encryption:ActiveKeyId=k2", "--Encryption:Keys:k2=" + k2);
        Assert.True(rotated.ExitCode == 0, rotated.Stderr);
        Assert.Contains("Done: 3 re-encrypted, 0 undecryptable", rotated.Stdout, StringComparison.Ordinal);

        File.Delete(Path.Combine(directory, "encryption-keys.json"));
        var k3 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var missing = await DevModeTests.RunVerbAsync("Testing", directory, sqlite, "keys", "rotate", "--Encryption:ActiveKeyId=k3", "--Encryption:Keys:k3=" + k3);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("unknown key k2", missing.Stderr, StringComparison.Ordinal);
        Assert.Contains("Done: 0 re-encrypted, 3 undecryptable", missing.Stdout, StringComparison.Ordinal);
    }
}
