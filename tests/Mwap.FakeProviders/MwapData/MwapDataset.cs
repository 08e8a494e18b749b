using MongoDB.Bson;

namespace Mwap.FakeProviders.MwapData;

/// <summary>Where MWAP's provider documents point (the fake servers in tests, anything in a benchmark).</summary>
public sealed record MwapProviderEndpoints(string Slug, string Name, string AuthUrl, string TokenUrl, string ClientId, string ClientSecret,
    string[] Scopes, string? ApiBaseUrl = null, string? ContentBaseUrl = null);

public sealed record MwapDatasetOptions
{
    public int Seed { get; init; } = 1;
    public int Tenants { get; init; } = 4;
    public int ProjectsPerTenant { get; init; } = 3;
    public int FilesPerTenant { get; init; } = 5;
    public int AuditPerTenant { get; init; } = 4;

    /// <summary>Adds the broken records listed in <see cref="MwapDataset.Broken"/> (and an unknown collection).</summary>
    public bool Broken { get; init; } = true;

    public required string LegacyKey { get; init; }
    public required IReadOnlyList<MwapProviderEndpoints> Providers { get; init; }

    /// <summary>Tokens of tenant <c>i</c>'s Dropbox connection (e.g. minted by the fake); random strings when null.</summary>
    public Func<int, (string Access, string Refresh)>? DropboxTokens { get; init; }
}

/// <summary>
/// A realistic MWAP database, generated lazily and deterministically (a seed gives the same bytes every time): the
/// collections MWAP's code writes (ids as ObjectId and as MWAP's string form, members embedded, integrations
/// connected and not, secrets in MWAP's legacy format), the guide's <c>virtualFiles</c> and <c>auditLogs</c>, and,
/// when asked, broken records of every kind the importer must report.
/// </summary>
public sealed partial class MwapDataset(MwapDatasetOptions options)
{
    public static readonly DateTime Epoch = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly LegacyMwapCipher _cipher = new(options.LegacyKey, options.Seed);

    public MwapDatasetOptions Options => options;

    /// <summary>Every collection in write order, each generated as it is enumerated.</summary>
    public IEnumerable<(string Collection, IEnumerable<BsonDocument> Documents)> Collections()
    {
        yield return ("projectTypes", ProjectTypes());
        yield return ("cloudProviders", Providers());
        yield return ("superadmins", [new BsonDocument { ["_id"] = Oid(0xA0, 0), ["userId"] = SuperAdmin }]);
        yield return ("tenants", Tenants());
        yield return ("cloudProviderIntegrations", Integrations());
        yield return ("projects", Projects());
        yield return ("virtualFiles", Files());
        yield return ("auditLogs", AuditRows());
        if (options.Broken)
        {
            yield return ("jobs", [new BsonDocument { ["_id"] = Oid(0xA1, 0), ["name"] = "refresh" }, new BsonDocument { ["_id"] = Oid(0xA1, 1), ["name"] = "sync" }]);
        }
    }

    public string SuperAdmin => $"auth0|mwap-{options.Seed}-admin";

    public static string ProviderId(int index) => $"6650000000000000000000{index:x2}";

    public static string ProjectTypeId(int index) => $"6651000000000000000000{index:x2}";

    public string TenantId(int i) => Hex(0x10, i);

    public string Owner(int i) => $"auth0|mwap-{options.Seed}-owner-{i}";

    public string Member(int i) => $"auth0|mwap-{options.Seed}-member-{i}";

    public string Deputy(int i) => $"auth0|mwap-{options.Seed}-deputy-{i}";

    public string TenantName(int i) => $"MWAP {options.Seed} tenant {i}";

    public string DropboxIntegrationId(int i) => Hex(0x20, i);

    public string GoogleIntegrationId(int i) => Hex(0x21, i);

    public string ProjectId(int i, int j) => Hex(0x30, (i * 1000) + j);

    public string FileId(int i, int k) => Hex(0x40, (i * 100_000) + k);

    public string AuditId(int i, int a) => Hex(0x50, (i * 100_000) + a);

    /// <summary>Projects per tenant whose integration is Dropbox (all of them).</summary>
    public int ProjectsOf(int i) => options.ProjectsPerTenant;

    private string Hex(int kind, int n) => $"{0x66000000 + n:x8}{kind:x2}{options.Seed & 0xFFFFFF:x6}{n:x8}";

    private BsonObjectId Oid(int kind, int n) => new(new ObjectId(Hex(kind, n)));

    /// <summary>MWAP used both forms: ObjectId for older and fixture rows, the hex string for rows its API created.</summary>
    private BsonValue IdValue(int kind, int n, bool asString) => asString ? new BsonString(Hex(kind, n)) : Oid(kind, n);

    private static BsonDateTime At(int minutes) => new(Epoch.AddMinutes(minutes));

    private IEnumerable<BsonDocument> ProjectTypes()
    {
        // MWAP's flat field map and a JSON Schema: both are stored as they are.
        yield return new BsonDocument
        {
            ["_id"] = new BsonObjectId(new ObjectId(ProjectTypeId(1))),
            ["name"] = "Photo shoot",
            ["description"] = "A shoot with its selects",
            ["configSchema"] = new BsonDocument { ["client"] = new BsonDocument { ["type"] = "string", ["required"] = true }, ["budget"] = new BsonDocument("type", "number") },
            ["isActive"] = true,
            ["createdAt"] = At(0),
            ["updatedAt"] = At(0),
            ["createdBy"] = SuperAdmin,
        };
        yield return new BsonDocument
        {
            ["_id"] = new BsonObjectId(new ObjectId(ProjectTypeId(2))),
            ["name"] = "Archive",
            ["description"] = "Long-term storage",
            ["configSchema"] = BsonDocument.Parse("""{"type":"object","properties":{"years":{"type":"integer","minimum":1}}}"""),
            ["isActive"] = true,
            ["createdAt"] = At(1),
            ["updatedAt"] = At(1),
            ["createdBy"] = SuperAdmin,
        };
    }

    private IEnumerable<BsonDocument> Providers()
    {
        // Fixed ids and a fixed cipher seed: every dataset carries the same provider documents, byte for byte.
        var cipher = new LegacyMwapCipher(options.LegacyKey, 7);
        for (var p = 0; p < options.Providers.Count; p++)
        {
            var provider = options.Providers[p];
            var metadata = new BsonDocument { ["providerType"] = provider.Slug };
            if (provider.ApiBaseUrl is not null)
            {
                metadata["apiBaseUrl"] = provider.ApiBaseUrl;
            }

            if (provider.ContentBaseUrl is not null)
            {
                metadata["contentBaseUrl"] = provider.ContentBaseUrl;
            }

            yield return new BsonDocument
            {
                ["_id"] = new BsonObjectId(new ObjectId(ProviderId(p + 1))),
                ["name"] = provider.Name,
                ["displayName"] = provider.Name,
                ["slug"] = provider.Slug,
                ["scopes"] = new BsonArray(provider.Scopes),
                ["authUrl"] = provider.AuthUrl,
                ["tokenUrl"] = provider.TokenUrl,
                ["clientId"] = provider.ClientId,
                ["clientSecret"] = cipher.Encrypt(provider.ClientSecret),
                ["grantType"] = "authorization_code",
                ["tokenMethod"] = "POST",
                ["metadata"] = metadata,
                ["createdAt"] = At(2),
                ["updatedAt"] = At(2),
                ["createdBy"] = SuperAdmin,
            };
        }
    }

    private string ProviderIdBySlug(string slug) =>
        ProviderId(options.Providers.Select((p, i) => (p, i)).First(x => x.p.Slug == slug).i + 1);
}
