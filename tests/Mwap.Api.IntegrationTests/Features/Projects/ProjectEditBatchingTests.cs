using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.Projects;
using Mwap.Api.IntegrationTests.Infrastructure;
using Npgsql;

namespace Mwap.Api.IntegrationTests.Features.Projects;

/// <summary>
/// Project edits that arrive while another commits go together in one transaction (<see cref="ProjectEditQueue"/>),
/// and each still gets its own answer, its own audit entry and its own actor. Each test holds a write lock on the
/// first project, so the first edit's commit waits while the others queue behind it; then it lets go.
/// </summary>
public sealed class ProjectEditBatchingTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    private ProjectEditQueue Queue => factory.Services.GetRequiredService<ProjectEditQueue>();

    [Fact]
    public async Task EditsArrivingDuringACommit_AreSavedTogether_EachWithItsOwnAnswerAndActor()
    {
        var deputyId = TestUsers.NewSubject("deputy");
        var (setup, ids) = await ProjectsAsync(5, members: new[] { new { userId = deputyId, role = "DEPUTY" } });
        var deputy = factory.CreateClientFor(deputyId);

        var responses = await WhileTheFirstCommitWaitsAsync(ids[0], [.. ids.Skip(1).Select((id, i) =>
            (Func<Task<HttpResponseMessage>>)(() => (i % 2 == 0 ? setup.Owner : deputy).PatchJsonAsync($"/api/v1/projects/{id}", new { description = $"edit {id}" })))]);

        foreach (var (id, response) in ids.Skip(1).Zip(responses))
        {
            Assert.Equal($"edit {id}", (await response.ReadDataAsync()).GetProperty("description").GetString());
        }

        var saved = await factory.WithDbAsync(db => db.Set<Project>().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id));
        Assert.All(ids.Skip(1), id => Assert.Equal($"edit {id}", saved[id].Description));
        // One SaveChanges stamps every row it updates with the same instant: the four were one commit, apart from the first.
        Assert.Single(ids.Skip(1).Select(id => saved[id].UpdatedAt).Distinct());
        Assert.NotEqual(saved[ids[1]].UpdatedAt, saved[ids[0]].UpdatedAt);

        var audit = await UpdatesAsync(ids);
        Assert.Equal(ids.Count, audit.Count);
        for (var i = 1; i < ids.Count; i++)
        {
            var entry = Assert.Single(audit, a => a.TargetId == ids[i]);
            Assert.Equal((i - 1) % 2 == 0 ? setup.OwnerId : deputyId, entry.ActorId);
        }

        Assert.Equal(audit.Count, audit.Select(a => a.TraceId).Distinct().Count());
    }

    [Fact]
    public async Task ABatchWhoseSaveFails_SavesEachEditAlone_OnlyTheLoserIsRefused()
    {
        var (setup, ids) = await ProjectsAsync(4);
        var name = TestUsers.UniqueName("Taken");

        // Both renames pass the name check (nobody has the name yet); the unique index refuses the batch's save.
        var responses = await WhileTheFirstCommitWaitsAsync(ids[0],
            () => setup.Owner.PatchJsonAsync($"/api/v1/projects/{ids[1]}", new { name }),
            () => setup.Owner.PatchJsonAsync($"/api/v1/projects/{ids[2]}", new { name }),
            () => setup.Owner.PatchJsonAsync($"/api/v1/projects/{ids[3]}", new { description = "kept" }));

        Assert.Equal(name, (await responses[0].ReadDataAsync()).GetProperty("name").GetString());
        await responses[1].AssertErrorAsync(HttpStatusCode.Conflict, "project/name-exists");
        Assert.Equal("kept", (await responses[2].ReadDataAsync()).GetProperty("description").GetString());
        var names = await factory.WithDbAsync(db => db.Set<Project>().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name));
        Assert.Equal(name, names[ids[1]]);
        Assert.NotEqual(name, names[ids[2]]);
        var audit = await UpdatesAsync(ids);
        Assert.DoesNotContain(audit, a => a.TargetId == ids[2]);
        Assert.Single(audit, a => a.TargetId == ids[1]);
        Assert.Single(audit, a => a.TargetId == ids[3]);
    }

    [Fact]
    public async Task AnEditARuleRefuses_FailsAlone_AndTheRestOfItsBatchIsSaved()
    {
        var schema = new { type = "object", properties = new { camera = new { type = "string" } }, required = new[] { "camera" } };
        var setup = await TenantSetup.CreateAsync(factory, configSchema: schema);
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await setup.CreateProjectAsync(config: new { camera = "Leica" })).GetProperty("_id").GetString()!);
        }

        var taken = await factory.WithDbAsync(db => db.Set<Project>().Where(p => p.Id == ids[0]).Select(p => p.Name).SingleAsync());
        var responses = await WhileTheFirstCommitWaitsAsync(ids[0],
            () => setup.Owner.PatchJsonAsync($"/api/v1/projects/{ids[1]}", new { name = taken }),
            () => setup.Owner.PatchJsonAsync($"/api/v1/projects/{ids[2]}", new { description = "refused with its config", config = new { lens = "50mm" } }),
            () => setup.Owner.PatchJsonAsync($"/api/v1/projects/{ids[3]}", new { description = "saved" }));

        await responses[0].AssertErrorAsync(HttpStatusCode.Conflict, "project/name-exists");
        await responses[1].AssertErrorAsync(HttpStatusCode.BadRequest, "project/invalid-input");
        Assert.Equal("saved", (await responses[2].ReadDataAsync()).GetProperty("description").GetString());
        var saved = await factory.WithDbAsync(db => db.Set<Project>().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id));
        Assert.Null(saved[ids[2]].Description); // the refused edit left nothing behind in the batch's save
        Assert.NotEqual(taken, saved[ids[1]].Name);
        Assert.Equal([ids[0], ids[3]], (await UpdatesAsync(ids)).Select(a => a.TargetId!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TwoEditsOfOneProject_InOneBurst_AreSavedInOrder_EachAnsweredWithItsOwnResult()
    {
        var (setup, ids) = await ProjectsAsync(2);

        var responses = await WhileTheFirstCommitWaitsAsync(ids[0],
            () => setup.Owner.PatchJsonAsync($"/api/v1/projects/{ids[1]}", new { description = "first" }),
            () => setup.Owner.PatchJsonAsync($"/api/v1/projects/{ids[1]}", new { archived = true }));

        var first = await responses[0].ReadDataAsync();
        Assert.Equal("first", first.GetProperty("description").GetString());
        Assert.False(first.GetProperty("archived").GetBoolean());
        var second = await responses[1].ReadDataAsync();
        Assert.Equal("first", second.GetProperty("description").GetString());
        Assert.True(second.GetProperty("archived").GetBoolean());
        Assert.Equal(2, (await UpdatesAsync([ids[1]])).Count);
    }

    [Fact]
    public async Task ABatchCommit_IsTracedAsOneSpan_LinkedToTheTraceOfEachRequestInIt()
    {
        var (setup, ids) = await ProjectsAsync(4);
        var commits = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            // ASP.NET Core starts a request activity only when someone listens to it: listen to both sources.
            ShouldListenTo = source => source.Name is "Mwap.Api" or "Microsoft.AspNetCore",
            Sample = (ref _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == "project edits commit")
                {
                    commits.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await WhileTheFirstCommitWaitsAsync(ids[0], [.. ids.Skip(1).Select(id =>
            (Func<Task<HttpResponseMessage>>)(() => setup.Owner.PatchJsonAsync($"/api/v1/projects/{id}", new { description = "traced" })))]);

        var traces = (await UpdatesAsync(ids.Skip(1))).Select(a => a.TraceId!).ToHashSet();
        Assert.Equal(3, traces.Count);
        var batch = Assert.Single(commits, c => c.Links.Any(l => traces.Contains(l.Context.TraceId.ToString())));
        Assert.Equal(traces, batch.Links.Select(l => l.Context.TraceId.ToString()).ToHashSet());
        Assert.Equal(3, batch.GetTagItem("mwap.project_edits"));
        Assert.DoesNotContain(batch.TraceId.ToString(), traces);
    }

    private async Task<(TenantSetup Setup, List<string> Ids)> ProjectsAsync(int count, object? members = null)
    {
        var setup = await TenantSetup.CreateAsync(factory);
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await setup.CreateProjectAsync(members: members)).GetProperty("_id").GetString()!);
        }

        return (setup, ids);
    }

    /// <summary>
    /// Edits the first project while a write lock holds its commit, sends the edits one by one (each queued before the
    /// next, so their order is known), lets the lock go, and returns their responses in that order.
    /// </summary>
    private async Task<HttpResponseMessage[]> WhileTheFirstCommitWaitsAsync(string lockedId, params Func<Task<HttpResponseMessage>>[] edits)
    {
        var owner = await factory.WithDbAsync(db => db.Set<Project>().Where(p => p.Id == lockedId).Select(p => p.CreatedBy).SingleAsync());
        Task<HttpResponseMessage> first;
        var sent = new List<Task<HttpResponseMessage>>();
        await using (await WriteLockAsync(lockedId))
        {
            first = factory.CreateClientFor(owner).PatchJsonAsync($"/api/v1/projects/{lockedId}", new { description = "waits for the lock" });
            await UntilAsync(() => Queue.Committing == 1);
            foreach (var edit in edits)
            {
                sent.Add(edit());
                var queued = sent.Count;
                await UntilAsync(() => Queue.Queued == queued);
            }

            Assert.False(first.IsCompleted);
        }

        await (await first).ReadDataAsync();
        return await Task.WhenAll(sent);
    }

    /// <summary>A second connection that holds the project row (PostgreSQL) or the database's write lock (SQLite).</summary>
    private async Task<IAsyncDisposable> WriteLockAsync(string projectId)
    {
        DbConnection connection = factory.Database.IsPostgres
            ? new NpgsqlConnection(factory.Database.ConnectionString)
            : new SqliteConnection(factory.Database.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        if (factory.Database.IsPostgres)
        {
            command.CommandText = "SELECT 1 FROM projects WHERE id = @id FOR UPDATE";
            command.Parameters.Add(new NpgsqlParameter("id", projectId));
        }
        else
        {
            // Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE: the transaction already holds the write lock; a write makes sure.
            command.CommandText = "UPDATE projects SET description = description WHERE id = $id";
            command.Parameters.Add(new SqliteParameter("$id", projectId));
        }

        await command.ExecuteNonQueryAsync();
        return new Held(connection, transaction);
    }

    private Task<List<AuditLogEntry>> UpdatesAsync(IEnumerable<string> ids)
    {
        var targets = ids.ToList();
        return factory.WithDbAsync(db => db.AuditLogs.Where(a => a.Action == "project.update" && targets.Contains(a.TargetId!)).ToListAsync());
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    private sealed class Held(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await connection.DisposeAsync();
        }
    }
}
