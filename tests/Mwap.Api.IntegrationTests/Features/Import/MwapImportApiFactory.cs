using System.Text.Json;
using Mwap.Api.Features.Import;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using Mwap.FakeProviders.MwapData;

namespace Mwap.Api.IntegrationTests.Features.Import;

/// <summary>The server on its own database, the fake providers, and a folder for the dumps the tests write.</summary>
public sealed class MwapImportApiFactory : MwapApiFactory
{
    public const string LegacyKey = "mwap-production-encryption-key-2024!";

    public FakeProviderServer Fake { get; private set; } = null!;
    public string Work { get; } = Path.Combine(Path.GetTempPath(), "mwap-import-tests-" + Guid.NewGuid().ToString("N"));

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["CloudProviders:AllowInsecureUrls"] = "true",
        ["Providers:RetryBaseDelayMilliseconds"] = "20",
    };

    public override async ValueTask InitializeAsync()
    {
        Fake = await FakeProviderServer.StartAsync();
        Directory.CreateDirectory(Work);
        await base.InitializeAsync();
    }

    /// <summary>MWAP's three providers, pointing at the fakes, with the fakes' client credentials.</summary>
    public IReadOnlyList<MwapProviderEndpoints> Providers =>
    [
        new("google-drive", "Google Drive", Fake.GoogleAuthorizeUrl, Fake.GoogleTokenUrl, Fake.Google.ClientId, Fake.Google.ClientSecret,
            ["https://www.googleapis.com/auth/drive.readonly"], Fake.GoogleApiBaseUrl),
        new("dropbox", "Dropbox", Fake.DropboxAuthorizeUrl, Fake.DropboxTokenUrl, Fake.Dropbox.ClientId, Fake.Dropbox.ClientSecret,
            ["files.metadata.read", "files.content.read", "account_info.read"], Fake.DropboxApiBaseUrl, Fake.DropboxContentBaseUrl),
        new("onedrive", "OneDrive", Fake.MicrosoftAuthorizeUrl, Fake.MicrosoftTokenUrl, Fake.Microsoft.ClientId, Fake.Microsoft.ClientSecret,
            ["Files.Read", "offline_access"], Fake.GraphApiBaseUrl),
    ];

    public MwapDataset Dataset(int seed, bool broken = true, Func<int, (string, string)>? dropboxTokens = null, int tenants = 3) => new(new MwapDatasetOptions
    {
        Seed = seed,
        Tenants = tenants,
        Broken = broken,
        LegacyKey = LegacyKey,
        Providers = Providers,
        DropboxTokens = dropboxTokens,
    });

    public string NewPath(string name) => Path.Combine(Work, Guid.NewGuid().ToString("N")[..8] + "-" + name);

    /// <summary>Runs the verb as the CLI does (same services, same argument parsing) and reads its JSON report.</summary>
    public async Task<ImportResult> ImportAsync(params string[] args)
    {
        var report = NewPath("report.json");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await ImportCommand.RunAsync(Services, [.. args, "--report", report], stdout, stderr, CancellationToken.None);
        var json = File.Exists(report) ? JsonDocument.Parse(await File.ReadAllTextAsync(report)).RootElement : default;
        return new ImportResult(exit, stdout.ToString(), stderr.ToString(), json);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Fake.DisposeAsync();
        Directory.Delete(Work, recursive: true);
    }
}

public sealed record ImportResult(int ExitCode, string Stdout, string Stderr, JsonElement Report)
{
    public long Count(string collection, string what) =>
        Report.GetProperty("collections").TryGetProperty(collection, out var c) ? c.GetProperty(what).GetInt64() : 0;

    public IEnumerable<JsonElement> Notes => Report.GetProperty("notes").EnumerateArray();

    public bool HasNote(string collection, string id, string kind) =>
        Notes.Any(n => n.GetProperty("collection").GetString() == collection && n.GetProperty("id").GetString() == id && n.GetProperty("kind").GetString() == kind);

    /// <summary>Every document read is imported, updated, unchanged, skipped or a conflict: none is lost.</summary>
    public void AssertAccounted(IReadOnlyDictionary<string, int> expected)
    {
        foreach (var (collection, read) in expected)
        {
            Assert.Equal(read, Count(collection, "read"));
            Assert.Equal(read, Count(collection, "imported") + Count(collection, "updated") + Count(collection, "unchanged")
                + Count(collection, "skipped") + Count(collection, "conflicts"));
        }
    }
}
