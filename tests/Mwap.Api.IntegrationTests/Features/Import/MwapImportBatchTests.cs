using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.Files;
using Mwap.Api.Features.Import;
using Mwap.Api.Features.Projects;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders.MwapData;

namespace Mwap.Api.IntegrationTests.Features.Import;

/// <summary>
/// The batched write path: new rows in bulk (COPY on PostgreSQL, multi-row INSERTs on SQLite) next to rows updated
/// through the change tracker in the same transaction, and the tenant-by-tenant fallback when a batch fails.
/// </summary>
public sealed class MwapImportBatchTests(MwapImportApiFactory factory) : IClassFixture<MwapImportApiFactory>
{
    [Fact]
    public async Task Rerun_AfterAPartialImport_MixesNewUpdatedAndUnchangedRowsInOneBatch_AndSettles()
    {
        var dataset = factory.Dataset(seed: 103, broken: false, tenants: 4);
        var dump = MwapDumpWriter.WriteDumpFolder(dataset, factory.NewPath("dump"), gzip: false);
        string[] import = ["import", "mwap", dump, "--legacy-key", MwapImportApiFactory.LegacyKey, "--batch", "3"];
        var partial = await factory.ImportAsync([.. import, "--tenant", dataset.TenantId(2)]);
        Assert.Equal((0, 1), (partial.ExitCode, partial.Count("tenants", "imported")));

        // Batches of 3: the first holds two new tenants and the one imported already.
        var first = await factory.ImportAsync(import);
        Assert.Equal(0, first.ExitCode);
        first.AssertAccounted(dataset.Expected);
        Assert.Equal((3, 1), (first.Count("tenants", "imported"), first.Count("tenants", "unchanged")));
        var rowsAfterFirst = await RowCountsAsync(dataset);
        Assert.Equal((4, 4 * 3, 4 * 3 * 3), (rowsAfterFirst.Tenants, rowsAfterFirst.Projects, rowsAfterFirst.Members));

        // Here since: a file and an audit row of tenant 0 were removed, and a project renamed (a conflict).
        var fileId = dataset.FileId(0, 0);
        var auditId = dataset.AuditId(0, 0);
        var projectId = dataset.ProjectId(0, 1);
        await factory.WithDbAsync(db => db.Set<VirtualFile>().Where(f => f.Id == fileId).ExecuteDeleteAsync());
        await factory.WithDbAsync(db => db.AuditLogs.Where(a => a.Id == auditId).ExecuteDeleteAsync());
        await factory.CreateClientFor(dataset.Owner(0)).PatchJsonAsync($"/api/v1/projects/{projectId}", new { name = "Renamed here" }).ReadDataAsync();

        // One batch now writes new rows (the file, the audit row, the members) next to an update (the project).
        var mixed = await factory.ImportAsync([.. import, "--overwrite"]);
        Assert.Equal(0, mixed.ExitCode);
        Assert.Equal((1, 1, 1), (mixed.Count("virtualFiles", "imported"), mixed.Count("auditLogs", "imported"), mixed.Count("projects", "updated")));
        Assert.Equal(0, mixed.Count("tenants", "imported") + mixed.Count("tenants", "updated"));
        var (name, members, file) = await factory.WithDbAsync(async db => (
            await db.Set<Project>().Where(p => p.Id == projectId).Select(p => p.Name).SingleAsync(),
            await db.Set<ProjectMember>().CountAsync(m => m.ProjectId == projectId),
            await db.Set<VirtualFile>().AsNoTracking().SingleOrDefaultAsync(f => f.Id == fileId)));
        Assert.Equal(("Project 1", 3), (name, members));
        Assert.NotNull(file);
        Assert.Equal(rowsAfterFirst with { Audit = rowsAfterFirst.Audit + 1 }, await RowCountsAsync(dataset)); // + the rename's own audit row

        // And the run after that is a no-op: the ledger holds the stamps of the bulk-written and the updated rows alike.
        var settled = await factory.ImportAsync(import);
        Assert.Equal(0, settled.ExitCode);
        foreach (var (collection, read) in dataset.Expected)
        {
            Assert.Equal((0, 0, 0, read), (settled.Count(collection, "imported"), settled.Count(collection, "updated"), settled.Count(collection, "conflicts"), settled.Count(collection, "unchanged")));
        }
    }

    [Fact]
    public async Task FailedBatch_IsRedoneTenantByTenant_OnlyTheTenantAtFaultIsSkipped()
    {
        var dataset = factory.Dataset(seed: 104, broken: false, tenants: 3);
        var dump = MwapDumpWriter.WriteDumpFolder(dataset, factory.NewPath("dump"), gzip: false);
        // A platform audit row here (no tenant) with the id of one of tenant 1's audit rows: nothing the checks read
        // before writing foresees it, and the primary key refuses tenant 1's rows when its batch is written.
        var auditId = dataset.AuditId(1, 0);
        await factory.WithDbAsync(async db =>
        {
            db.AuditLogs.Add(new AuditLogEntry { Id = auditId, ActorId = "system", Action = "platform.test", TargetType = "platform", CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });

        var result = await factory.ImportAsync("import", "mwap", dump, "--legacy-key", MwapImportApiFactory.LegacyKey, "--batch", "3");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal((3, 2, 1), (result.Count("tenants", "read"), result.Count("tenants", "imported"), result.Count("tenants", "skipped")));
        Assert.True(result.HasNote("tenants", dataset.TenantId(1), NoteKinds.Skipped));
        Assert.Contains(result.Notes, n => n.GetProperty("id").GetString() == dataset.TenantId(1) && n.GetProperty("reason").GetString()!.Contains("rolled back", StringComparison.Ordinal));
        var (tenants, projects) = await factory.WithDbAsync(async db => (
            await db.Tenants.Where(t => t.Id == dataset.TenantId(0) || t.Id == dataset.TenantId(1) || t.Id == dataset.TenantId(2)).Select(t => t.Id).ToListAsync(),
            await db.Set<Project>().Where(p => p.TenantId == dataset.TenantId(1)).CountAsync()));
        Assert.Equal([dataset.TenantId(0), dataset.TenantId(2)], tenants.Order());
        Assert.Equal(0, projects);
    }

    [Fact]
    public async Task TenantName_DifferingOnlyInCaseFromOneHere_IsRenamedWithANote_NotSkipped()
    {
        var dataset = factory.Dataset(seed: 105, broken: false, tenants: 3);
        var dump = MwapDumpWriter.WriteDumpFolder(dataset, factory.NewPath("dump"), gzip: false);
        // A tenant created here whose name differs from the source's tenant 1 only in case: the unique index ignores case.
        var taken = dataset.TenantName(1).ToUpperInvariant();
        var other = factory.CreateClientFor(TestUsers.NewSubject("clash"));
        await other.PostJsonAsync("/api/v1/tenants", new { name = taken }).ReadDataAsync(System.Net.HttpStatusCode.Created);

        var result = await factory.ImportAsync("import", "mwap", dump, "--legacy-key", MwapImportApiFactory.LegacyKey, "--batch", "3");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal((3, 3, 0), (result.Count("tenants", "read"), result.Count("tenants", "imported"), result.Count("tenants", "skipped")));
        Assert.True(result.HasNote("tenants", dataset.TenantId(1), NoteKinds.Normalised));
        var name = await factory.WithDbAsync(db => db.Tenants.Where(t => t.Id == dataset.TenantId(1)).Select(t => t.Name).SingleAsync());
        Assert.StartsWith(dataset.TenantName(1), name, StringComparison.Ordinal);
        Assert.NotEqual(Mwap.Api.Features.Tenants.Tenant.NormalizeName(taken), Mwap.Api.Features.Tenants.Tenant.NormalizeName(name));
        Assert.Equal(dataset.Expected["projects"], await factory.WithDbAsync(db => db.Set<Project>().CountAsync(p =>
            p.TenantId == dataset.TenantId(0) || p.TenantId == dataset.TenantId(1) || p.TenantId == dataset.TenantId(2))));
    }

    private async Task<RowCounts> RowCountsAsync(MwapDataset dataset)
    {
        var ids = Enumerable.Range(0, dataset.Options.Tenants).Select(dataset.TenantId).ToList();
        return await factory.WithDbAsync(async db => new RowCounts(
            await db.Tenants.CountAsync(t => ids.Contains(t.Id)),
            await db.Set<Project>().CountAsync(p => ids.Contains(p.TenantId)),
            await db.Set<ProjectMember>().CountAsync(m => ids.Contains(m.TenantId)),
            await db.Set<VirtualFile>().CountAsync(f => ids.Contains(f.TenantId)),
            await db.AuditLogs.CountAsync(a => ids.Contains(a.TenantId!)),
            await db.Set<ImportRecord>().CountAsync(r => ids.Contains(r.TenantId))));
    }

    private sealed record RowCounts(int Tenants, int Projects, int Members, int Files, int Audit, int Ledger);
}
