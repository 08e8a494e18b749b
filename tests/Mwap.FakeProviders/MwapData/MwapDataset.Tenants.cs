using MongoDB.Bson;

namespace Mwap.FakeProviders.MwapData;

public sealed partial class MwapDataset
{
    public const string LongName = "tenant-name-too-long";
    public const string DuplicateOwner = "tenant-duplicate-owner";
    public const string StringTenantId = "tenant-string-id";
    public const string DanglingType = "project-dangling-type";
    public const string BadRole = "project-bad-role";
    public const string MissingTenant = "project-missing-tenant";
    public const string DuplicateIdForms = "project-duplicate-id-forms";
    public const string PlaintextToken = "integration-plaintext-token";
    public const string DanglingFile = "file-dangling-integration";

    /// <summary>The broken records, by what is wrong with them → the id the import reports (a string id as it is in the source).</summary>
    public Dictionary<string, string> Broken => !options.Broken ? [] : new()
    {
        [LongName] = Hex(0x10, 9000),
        [DuplicateOwner] = Hex(0x10, 9001),
        [StringTenantId] = $"legacy-tenant-{options.Seed}",
        [DanglingType] = Hex(0x30, 900_000),
        [BadRole] = Hex(0x30, 900_001),
        [MissingTenant] = Hex(0x30, 900_002),
        [DuplicateIdForms] = ProjectId(0, 0),
        [PlaintextToken] = Hex(0x22, 0),
        [DanglingFile] = Hex(0x40, 9_999_999),
    };

    /// <summary>Documents per collection this dataset holds (what an import must account for).</summary>
    public Dictionary<string, int> Expected => new()
    {
        ["tenants"] = options.Tenants + (options.Broken ? 3 : 0),
        ["cloudProviderIntegrations"] = (2 * options.Tenants) + (options.Broken ? 1 : 0),
        ["projects"] = (options.Tenants * options.ProjectsPerTenant) + (options.Broken ? 4 : 0),
        ["virtualFiles"] = (options.Tenants * options.FilesPerTenant) + (options.Broken ? 1 : 0),
        ["auditLogs"] = (options.Tenants * options.AuditPerTenant) + 2,
    };

    private IEnumerable<BsonDocument> Tenants()
    {
        for (var i = 0; i < options.Tenants; i++)
        {
            yield return Tenant(Oid(0x10, i), TenantName(i), Owner(i), i);
        }

        if (options.Broken)
        {
            yield return Tenant(Oid(0x10, 9000), new string('L', 60) + options.Seed, $"auth0|mwap-{options.Seed}-long", 9000);
            yield return Tenant(Oid(0x10, 9001), $"MWAP {options.Seed} second tenant of owner 0", Owner(0), 9001);
            yield return Tenant($"legacy-tenant-{options.Seed}", $"MWAP {options.Seed} legacy", $"auth0|mwap-{options.Seed}-legacy", 9002);
        }
    }

    private static BsonDocument Tenant(BsonValue id, string name, string owner, int i) => new()
    {
        ["_id"] = id,
        ["name"] = name,
        ["ownerId"] = owner,
        ["settings"] = new BsonDocument { ["allowPublicProjects"] = i % 2 == 0, ["maxProjects"] = 10 + (i % 5) },
        ["createdAt"] = At(10 + (i % 1000)),
        ["updatedAt"] = At(20 + (i % 1000)),
        ["archived"] = false,
    };

    private IEnumerable<BsonDocument> Integrations()
    {
        var dropbox = ProviderIdBySlug("dropbox");
        var google = ProviderIdBySlug("google-drive");
        for (var i = 0; i < options.Tenants; i++)
        {
            var (access, refresh) = options.DropboxTokens?.Invoke(i) ?? ($"sl.access-{options.Seed}-{i}", $"refresh-{options.Seed}-{i}");
            yield return new BsonDocument
            {
                ["_id"] = IdValue(0x20, i, asString: i % 2 == 0),
                ["tenantId"] = TenantId(i),
                ["providerId"] = dropbox,
                ["status"] = "active",
                ["accessToken"] = _cipher.Encrypt(access),
                ["refreshToken"] = _cipher.Encrypt(refresh),
                // Expired in MWAP's database: the refresh job renews it after the import.
                ["tokenExpiresAt"] = At(30),
                ["scopesGranted"] = new BsonArray { "files.metadata.read", "files.content.read", "account_info.read" },
                ["connectedAt"] = At(25),
                ["metadata"] = new BsonDocument { ["label"] = "Studio Dropbox" },
                ["oauth"] = new BsonDocument { ["status"] = "completed", ["stateHash"] = "state-" + i },
                ["createdAt"] = At(24),
                ["updatedAt"] = At(30),
                ["createdBy"] = Owner(i),
            };
            // Created through MWAP's API but never connected: "active" without tokens.
            yield return new BsonDocument
            {
                ["_id"] = IdValue(0x21, i, asString: true),
                ["tenantId"] = TenantId(i),
                ["providerId"] = google,
                ["status"] = "active",
                ["createdAt"] = At(26),
                ["updatedAt"] = At(26),
                ["createdBy"] = Owner(i),
            };
        }

        if (options.Broken && options.Tenants > 0 && options.Providers.Any(p => p.Slug == "onedrive"))
        {
            // MWAP's test mode stored tokens in plain text.
            yield return new BsonDocument
            {
                ["_id"] = Hex(0x22, 0),
                ["tenantId"] = TenantId(0),
                ["providerId"] = ProviderIdBySlug("onedrive"),
                ["status"] = "active",
                ["accessToken"] = "plain-access-token",
                ["refreshToken"] = "plain-refresh-token",
                ["createdAt"] = At(27),
                ["updatedAt"] = At(27),
                ["createdBy"] = Owner(0),
            };
        }
    }

    private IEnumerable<BsonDocument> Projects()
    {
        for (var i = 0; i < options.Tenants; i++)
        {
            for (var j = 0; j < options.ProjectsPerTenant; j++)
            {
                yield return Project(IdValue(0x30, (i * 1000) + j, asString: j % 2 == 0), TenantId(i), ProjectTypeId(1 + (j % 2)), i, $"Project {j}",
                    new BsonArray
                    {
                        new BsonDocument { ["userId"] = Owner(i), ["role"] = "OWNER" },
                        new BsonDocument { ["userId"] = Member(i), ["role"] = "MEMBER" },
                        new BsonDocument { ["userId"] = Deputy(i), ["role"] = "DEPUTY" },
                    });
            }
        }

        if (options.Broken && options.Tenants > 0 && options.ProjectsPerTenant > 0)
        {
            yield return Project(Oid(0x30, 900_000), TenantId(0), ProjectTypeId(99), 0, "Dangling type", [new BsonDocument { ["userId"] = Owner(0), ["role"] = "OWNER" }]);
            yield return Project(new BsonString(Hex(0x30, 900_001)), TenantId(0), ProjectTypeId(1), 0, "Bad role",
                [new BsonDocument { ["userId"] = Owner(0), ["role"] = "OWNER" }, new BsonDocument { ["userId"] = Member(0), ["role"] = "admin" }]);
            yield return Project(Oid(0x30, 900_002), Hex(0x10, 9999), ProjectTypeId(1), 0, "No tenant", [new BsonDocument { ["userId"] = Owner(0), ["role"] = "OWNER" }]);
            // Project 0 of tenant 0 again, under the other id form: one record.
            yield return Project(Oid(0x30, 0), TenantId(0), ProjectTypeId(1), 0, "Project 0 again", [new BsonDocument { ["userId"] = Owner(0), ["role"] = "OWNER" }]);
        }
    }

    private BsonDocument Project(BsonValue id, string tenantId, string typeId, int i, string name, BsonArray members) => new()
    {
        ["_id"] = id,
        ["tenantId"] = tenantId,
        ["projectTypeId"] = typeId,
        ["cloudIntegrationId"] = DropboxIntegrationId(i),
        ["folderpath"] = "/Projects/" + name.Replace(' ', '-'),
        ["name"] = name,
        ["description"] = "Imported from MWAP",
        ["archived"] = false,
        ["members"] = members,
        ["createdAt"] = At(40),
        ["updatedAt"] = At(41),
        ["createdBy"] = Owner(i),
    };

    private IEnumerable<BsonDocument> Files()
    {
        for (var i = 0; i < options.Tenants; i++)
        {
            for (var k = 0; k < options.FilesPerTenant; k++)
            {
                var folder = k == 0;
                var doc = new BsonDocument
                {
                    ["_id"] = Oid(0x40, (i * 100_000) + k),
                    ["projectId"] = ProjectId(i, 0),
                    ["integrationId"] = IdValue(0x20, i, asString: k % 3 == 0),
                    ["providerFileId"] = $"id:{options.Seed}-{i}-{k}",
                    ["name"] = folder ? "Project-0" : $"file-{k}.txt",
                    ["path"] = folder ? "/Projects/Project-0" : $"/Projects/Project-0/file-{k}.txt",
                    ["type"] = folder ? "folder" : "text/plain",
                    ["modifiedTime"] = At(50 + k),
                    ["metadata"] = new BsonDocument { ["checksum"] = $"sha-{k}", ["permissions"] = new BsonArray { "read" } },
                    ["syncStatus"] = new BsonDocument { ["lastSync"] = At(60), ["status"] = "synced" },
                    ["createdAt"] = At(50),
                    ["updatedAt"] = At(60),
                };
                if (!folder)
                {
                    doc["size"] = 1000 + k;
                }

                // The guide's files name their integration only; some carry the tenant as well.
                if (k % 2 == 0)
                {
                    doc["tenantId"] = TenantId(i);
                }

                yield return doc;
            }
        }

        if (options.Broken)
        {
            yield return new BsonDocument
            {
                ["_id"] = Oid(0x40, 9_999_999),
                ["integrationId"] = Hex(0x20, 9999),
                ["providerFileId"] = "id:nowhere",
                ["name"] = "lost.txt",
                ["path"] = "/lost.txt",
                ["type"] = "text/plain",
            };
        }
    }

    private IEnumerable<BsonDocument> AuditRows()
    {
        for (var i = 0; i < options.Tenants; i++)
        {
            for (var a = 0; a < options.AuditPerTenant; a++)
            {
                yield return new BsonDocument
                {
                    ["_id"] = Oid(0x50, (i * 100_000) + a),
                    ["tenantId"] = TenantId(i),
                    ["userId"] = Owner(i),
                    ["action"] = "project.update",
                    ["resource"] = new BsonDocument { ["type"] = "project", ["id"] = ProjectId(i, 0) },
                    ["ip"] = "203.0.113.7",
                    ["userAgent"] = "Mozilla/5.0",
                    ["success"] = a % 5 != 4,
                    ["details"] = new BsonDocument { ["method"] = "PATCH", ["endpoint"] = "/api/v1/projects/" + ProjectId(i, 0), ["accessToken"] = "must-not-survive" },
                    ["severity"] = "low",
                    ["timestamp"] = At(100 + a),
                };
            }
        }

        for (var n = 0; n < 2; n++)
        {
            yield return new BsonDocument
            {
                ["_id"] = Oid(0x51, n),
                ["userId"] = SuperAdmin,
                ["action"] = "cloud-provider.update",
                ["resource"] = new BsonDocument { ["type"] = "cloud-provider", ["id"] = ProviderId(1) },
                ["success"] = true,
                ["timestamp"] = At(5 + n),
            };
        }
    }
}
