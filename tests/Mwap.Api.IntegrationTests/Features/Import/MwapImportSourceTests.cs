using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Import;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Tenants;
using Mwap.FakeProviders.MwapData;

namespace Mwap.Api.IntegrationTests.Features.Import;

/// <summary>The other source forms, the dry run, a wrong legacy key, and the exit codes.</summary>
public sealed partial class MwapImportTests
{
    [Fact]
    public async Task DryRun_OfArchiveAndExportForms_ReportsTheSameAsTheDump_AndWritesNothing()
    {
        var dataset = factory.Dataset(seed: 103);
        var sources = new[]
        {
            MwapDumpWriter.WriteArchive(dataset, factory.NewPath("mwap.archive.gz"), gzip: true),
            MwapDumpWriter.WriteArchive(dataset, factory.NewPath("mwap.archive"), gzip: false),
            MwapDumpWriter.WriteExportFolder(dataset, factory.NewPath("export-lines"), jsonArray: false, canonical: true),
            MwapDumpWriter.WriteExportFolder(dataset, factory.NewPath("export-array"), jsonArray: true, canonical: false),
        };

        foreach (var source in sources)
        {
            var result = await factory.ImportAsync("import", "mwap", source, "--legacy-key", MwapImportApiFactory.LegacyKey, "--dry-run");

            Assert.Equal(1, result.ExitCode);
            Assert.True(result.Report.GetProperty("dryRun").GetBoolean());
            result.AssertAccounted(dataset.Expected);
            Assert.Equal(3 + 2, result.Count("tenants", "imported")); // would import: 3 tenants, the long name and the string id
            Assert.Equal(3 * 3 + 1, result.Count("projects", "imported"));
            Assert.True(result.HasNote("projects", dataset.Broken[MwapDataset.DanglingType], NoteKinds.Skipped));
        }

        Assert.False(await factory.WithDbAsync(db => db.Tenants.AnyAsync(t => t.Id == dataset.TenantId(0))));
        Assert.False(await factory.WithDbAsync(db => db.AuditLogs.AnyAsync(a => a.TenantId == dataset.TenantId(0))));

        var imported = await factory.ImportAsync("import", "mwap", sources[0], "--legacy-key", MwapImportApiFactory.LegacyKey);
        imported.AssertAccounted(dataset.Expected);
        Assert.True(await factory.WithDbAsync(db => db.Tenants.AnyAsync(t => t.Id == dataset.TenantId(2))));
    }

    [Fact]
    public async Task WrongLegacyKey_ImportsNoSecret_AndListsEveryConnectionToRedo()
    {
        var dataset = factory.Dataset(seed: 104, broken: false);
        var dump = MwapDumpWriter.WriteDumpFolder(dataset, factory.NewPath("dump"), gzip: false);

        var result = await factory.ImportAsync("import", "mwap", dump, "--legacy-key", "not-the-key");

        Assert.Equal(0, result.ExitCode); // nothing skipped: the integrations are imported, to be reconnected
        for (var i = 0; i < 3; i++)
        {
            Assert.True(result.HasNote("cloudProviderIntegrations", dataset.DropboxIntegrationId(i), NoteKinds.Secret));
        }

        Assert.Contains("does not decrypt", result.Stdout, StringComparison.Ordinal);
        var integrations = await factory.WithDbAsync(db => db.Set<CloudIntegration>().AsNoTracking()
            .Where(i => i.TenantId == dataset.TenantId(0) || i.TenantId == dataset.TenantId(1) || i.TenantId == dataset.TenantId(2)).ToListAsync());
        Assert.Equal(6, integrations.Count);
        Assert.All(integrations, i => Assert.Null(i.EncryptedAccessToken));
        Assert.All(integrations, i => Assert.Null(i.EncryptedRefreshToken));
        Assert.Equal(3, integrations.Count(i => i.Status == IntegrationStatus.Expired));

        // The right key later carries the tokens over: the source did not change, the outcome did.
        var fixedRun = await factory.ImportAsync("import", "mwap", dump, "--legacy-key", MwapImportApiFactory.LegacyKey);
        Assert.Equal(3, fixedRun.Count("cloudProviderIntegrations", "updated"));
        Assert.Equal(3, await factory.WithDbAsync(db => db.Set<CloudIntegration>().CountAsync(
            i => i.EncryptedRefreshToken != null && (i.TenantId == dataset.TenantId(0) || i.TenantId == dataset.TenantId(1) || i.TenantId == dataset.TenantId(2)))));
        var providers = await factory.WithDbAsync(db => db.Set<CloudProvider>().AsNoTracking().ToListAsync());
        Assert.All(providers, p => Assert.StartsWith("mwap:v1:", p.EncryptedClientSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UsageAndSourceErrors_Exit2_AndChangeNothing()
    {
        var tenantsBefore = await factory.WithDbAsync(db => db.Set<Tenant>().CountAsync());
        var garbage = factory.NewPath("garbage.archive");
        await File.WriteAllTextAsync(garbage, "this is not a mongodump archive");
        var emptyFolder = Directory.CreateDirectory(factory.NewPath("empty")).FullName;

        Assert.Equal(2, (await factory.ImportAsync("import", "mwap")).ExitCode);
        Assert.Equal(2, (await factory.ImportAsync("import", "mwap", factory.NewPath("missing"))).ExitCode);
        var bad = await factory.ImportAsync("import", "mwap", garbage);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("archive", bad.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, (await factory.ImportAsync("import", "mwap", emptyFolder)).ExitCode);
        Assert.Equal(tenantsBefore, await factory.WithDbAsync(db => db.Set<Tenant>().CountAsync()));
    }
}
