using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Import;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Integrations.Tokens;
using Mwap.Api.Features.Projects;
using Mwap.Api.Infrastructure.Security;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders.MwapData;
using D = Mwap.FakeProviders.MwapData.MwapDataset;

namespace Mwap.Api.IntegrationTests.Features.Import;

/// <summary>
/// <c>import mwap</c> against a generated MWAP database (legacy ciphertexts from the test's own GCM): every record
/// accounted for, secrets carried over to the key ring, the result usable through the API, on SQLite and PostgreSQL.
/// </summary>
public sealed partial class MwapImportTests(MwapImportApiFactory factory) : IClassFixture<MwapImportApiFactory>
{
    private string Unprotect(string envelope, SecretContext context) =>
        factory.Services.GetRequiredService<ISecretProtector>().Unprotect(envelope, context);

    [Fact]
    public async Task Import_GzippedDumpFolder_AccountsForEveryRecord_AndTheResultWorksThroughTheApi()
    {
        var tokens = factory.Fake.Dropbox.IssueTokens();
        var dataset = factory.Dataset(seed: 101, dropboxTokens: i => i == 0 ? (tokens.AccessToken, tokens.RefreshToken!) : ($"sl.a-{i}", $"r-{i}"));
        var dump = MwapDumpWriter.WriteDumpFolder(dataset, factory.NewPath("dump"), gzip: true);

        var result = await factory.ImportAsync("import", "mwap", dump, "--legacy-key", MwapImportApiFactory.LegacyKey);

        Assert.Equal(1, result.ExitCode); // broken records were skipped
        result.AssertAccounted(dataset.Expected);
        var broken = dataset.Broken;
        Assert.True(result.HasNote("tenants", broken[D.DuplicateOwner], NoteKinds.Skipped));
        Assert.True(result.HasNote("tenants", broken[D.LongName], NoteKinds.Normalised));
        Assert.Contains(result.Notes, n => n.GetProperty("kind").GetString() == NoteKinds.Normalised && n.GetProperty("reason").GetString()!.Contains(broken[D.StringTenantId], StringComparison.Ordinal));
        Assert.True(result.HasNote("projects", broken[D.DanglingType], NoteKinds.Skipped));
        Assert.True(result.HasNote("projects", broken[D.MissingTenant], NoteKinds.Skipped));
        Assert.True(result.HasNote("projects", broken[D.DuplicateIdForms], NoteKinds.Skipped));
        Assert.True(result.HasNote("projects", broken[D.BadRole], NoteKinds.Normalised));
        Assert.True(result.HasNote("cloudProviderIntegrations", broken[D.PlaintextToken], NoteKinds.Secret));
        Assert.True(result.HasNote("virtualFiles", broken[D.DanglingFile], NoteKinds.Skipped));
        Assert.Equal(2, result.Report.GetProperty("unknownCollections").GetProperty("jobs").GetInt32());
        Assert.Equal(3 * 3, result.Count("projects", "imported") - 1); // 3 tenants × 3 projects, plus the normalised one
        Assert.Contains("tenants", result.Stderr, StringComparison.Ordinal); // progress

        // Nothing secret anywhere the operator or a log would see it.
        foreach (var secret in new[] { tokens.AccessToken, tokens.RefreshToken!, factory.Fake.Dropbox.ClientSecret, MwapImportApiFactory.LegacyKey, "plain-access-token" })
        {
            Assert.DoesNotContain(secret, result.Stdout + result.Stderr + result.Report.GetRawText(), StringComparison.Ordinal);
            Assert.DoesNotContain(factory.Logs.Entries, e => e.AllText.Contains(secret, StringComparison.Ordinal));
        }

        var tenantId = dataset.TenantId(0);
        var dropboxId = dataset.DropboxIntegrationId(0);
        var (tenant, integration, plaintext, google, provider, members) = await factory.WithDbAsync(async db => (
            await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == tenantId),
            await db.Set<CloudIntegration>().AsNoTracking().SingleAsync(i => i.Id == dropboxId),
            await db.Set<CloudIntegration>().AsNoTracking().SingleAsync(i => i.Id == broken[D.PlaintextToken]),
            await db.Set<CloudIntegration>().AsNoTracking().SingleAsync(i => i.Id == dataset.GoogleIntegrationId(0)),
            await db.Set<CloudProvider>().AsNoTracking().SingleAsync(p => p.Slug == "dropbox"),
            await db.Set<ProjectMember>().AsNoTracking().Where(m => m.ProjectId == dataset.ProjectId(0, 1)).ToListAsync()));
        Assert.Equal(dataset.Owner(0), tenant.OwnerId);
        Assert.Equal(D.Epoch.AddMinutes(10), tenant.CreatedAt); // MWAP's times are kept
        Assert.Equal(IntegrationStatus.Active, integration.Status);
        Assert.Equal(tokens.RefreshToken, Unprotect(integration.EncryptedRefreshToken!, TokenService.RefreshContext(dropboxId)));
        Assert.Equal(tokens.AccessToken, Unprotect(integration.EncryptedAccessToken!, TokenService.AccessContext(dropboxId)));
        Assert.Null(integration.Sync.Cursor); // MWAP kept no cursor: the next sync is a full one
        Assert.Equal(factory.Fake.Dropbox.ClientSecret, Unprotect(provider.EncryptedClientSecret, provider.ClientSecretContext));
        Assert.Equal((IntegrationStatus.Expired, (string?)null, (string?)null), (plaintext.Status, plaintext.EncryptedAccessToken, plaintext.EncryptedRefreshToken));
        Assert.Equal(IntegrationStatus.Pending, google.Status);
        Assert.Equal(["DEPUTY", "MEMBER", "OWNER"], members.Select(m => m.Role).Order());

        // Usable at once: roles, project guards, the refresh with the imported refresh token, audit trail.
        var owner = factory.CreateClientFor(dataset.Owner(0));
        var roles = await factory.CreateClientFor(dataset.Member(0)).GetAsync("/api/v1/users/me/roles").ReadDataAsync();
        Assert.Contains(roles.GetProperty("projectRoles").EnumerateArray(),
            r => r.GetProperty("projectId").GetString() == dataset.ProjectId(0, 1) && r.GetProperty("role").GetString() == "MEMBER");
        Assert.Equal(tenantId, (await owner.GetAsync("/api/v1/tenants/me").ReadDataAsync()).GetProperty("_id").GetString());
        await owner.GetAsync($"/api/v1/projects/{dataset.ProjectId(0, 0)}").ReadDataAsync();
        var refreshes = factory.Fake.Dropbox.RefreshRequests;
        var refreshed = await owner.PostAsync($"/api/v1/tenants/{tenantId}/integrations/{dropboxId}/refresh-token", null);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal(refreshes + 1, factory.Fake.Dropbox.RefreshRequests);
        var after = await factory.WithDbAsync(db => db.Set<CloudIntegration>().AsNoTracking().SingleAsync(i => i.Id == dropboxId));
        Assert.True(after.TokenExpiresAt > DateTime.UtcNow);
        Assert.NotEqual(tokens.AccessToken, Unprotect(after.EncryptedAccessToken!, TokenService.AccessContext(dropboxId)));

        var audit = await factory.WithDbAsync(db => db.AuditLogs.AsNoTracking().Where(a => a.Action == "platform.import" || a.TenantId == tenantId).ToListAsync());
        Assert.Contains(audit, a => a.Action == "platform.import" && a.Details!.Contains("\"imported\"", StringComparison.Ordinal));
        Assert.Equal(4, audit.Count(a => a.Action == "project.update"));
        Assert.All(audit.Where(a => a.Action == "project.update"), a => Assert.Contains("[REDACTED]", a.Details!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rerun_IsANoOp_ChangesHereAreConflicts_AndOverwriteTakesTheSource()
    {
        var dataset = factory.Dataset(seed: 102, broken: false);
        var dump = MwapDumpWriter.WriteDumpFolder(dataset, factory.NewPath("dump"), gzip: false);
        // An interrupted or partial import leaves whole tenants; the next run continues with the rest.
        var partial = await factory.ImportAsync("import", "mwap", dump, "--legacy-key", MwapImportApiFactory.LegacyKey, "--tenant", dataset.TenantId(1));
        Assert.Equal(0, partial.ExitCode);
        Assert.Equal(1, partial.Count("tenants", "imported"));

        var first = await factory.ImportAsync("import", "mwap", dump, "--legacy-key", MwapImportApiFactory.LegacyKey);
        Assert.Equal(0, first.ExitCode);
        first.AssertAccounted(dataset.Expected);
        Assert.Equal((2, 1), (first.Count("tenants", "imported"), first.Count("tenants", "unchanged")));

        var again = await factory.ImportAsync("import", "mwap", dump, "--legacy-key", MwapImportApiFactory.LegacyKey);
        Assert.Equal(0, again.ExitCode);
        foreach (var (collection, read) in dataset.Expected)
        {
            Assert.Equal((0, 0, 0, read), (again.Count(collection, "imported"), again.Count(collection, "updated"), again.Count(collection, "conflicts"), again.Count(collection, "unchanged")));
        }

        // Changed here: a member renames the project. The import leaves it alone and says so…
        var owner = factory.CreateClientFor(dataset.Owner(0));
        var projectId = dataset.ProjectId(0, 1);
        await owner.PatchJsonAsync($"/api/v1/projects/{projectId}", new { name = "Renamed here" }).ReadDataAsync();
        var conflict = await factory.ImportAsync("import", "mwap", dump, "--legacy-key", MwapImportApiFactory.LegacyKey);
        Assert.Equal(0, conflict.ExitCode);
        Assert.Equal(1, conflict.Count("projects", "conflicts"));
        Assert.True(conflict.HasNote("projects", projectId, NoteKinds.Conflict));
        Assert.Equal("Renamed here", await factory.WithDbAsync(db => db.Set<Project>().Where(p => p.Id == projectId).Select(p => p.Name).SingleAsync()));

        // …unless told to overwrite.
        var overwrite = await factory.ImportAsync("import", "mwap", dump, "--legacy-key", MwapImportApiFactory.LegacyKey, "--overwrite");
        Assert.Equal(1, overwrite.Count("projects", "updated"));
        // Counted once, as updated (not also as a conflict); the note still says what was overwritten.
        Assert.Equal(0, overwrite.Count("projects", "conflicts"));
        Assert.True(overwrite.HasNote("projects", projectId, NoteKinds.Overwritten));
        Assert.Equal("Project 1", await factory.WithDbAsync(db => db.Set<Project>().Where(p => p.Id == projectId).Select(p => p.Name).SingleAsync()));
        Assert.Equal(3, await factory.WithDbAsync(db => db.Set<ProjectMember>().CountAsync(m => m.ProjectId == projectId)));
        var settled = await factory.ImportAsync("import", "mwap", dump, "--legacy-key", MwapImportApiFactory.LegacyKey);
        Assert.Equal(0, settled.Count("projects", "conflicts") + settled.Count("projects", "updated"));
    }
}
