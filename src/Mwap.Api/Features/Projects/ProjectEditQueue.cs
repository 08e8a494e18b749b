using System.Diagnostics;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Observability;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Projects;

/// <summary>
/// Group commit for project edits (<c>PATCH /projects/{id}</c>, issue 13). An edit's cost was its database work —
/// a read, the UPDATE with its audit INSERT, and a COMMIT of its own: three round trips and a WAL flush, more than the
/// rest of the request together. Edits that arrive while a commit is under way wait for it and then go together: one
/// read of their projects, one transaction for all their UPDATEs and audit rows, one cache invalidation. An idle server
/// commits an edit at once (no timer, no added wait); under load a batch holds what arrived during the last commit.
/// <para>
/// Each edit keeps its own answer: one that breaks a rule (a taken name, a config its schema refuses, a project gone)
/// fails alone before the batch is saved; when the save itself fails (two edits of the batch taking one name, a row
/// another instance changed), every edit of the batch runs again on its own, exactly as without batching. A batch
/// holds each project once, so every response shows the project as its own edit left it.
/// </para>
/// Singleton. The drain runs on no request's execution context: nothing of one request (its user, its trace) can leak
/// into another's audit entry; each edit carries its <see cref="AuditActor"/>.
/// </summary>
internal sealed class ProjectEditQueue(IServiceScopeFactory scopes, ProjectReadCache reads, ILogger<ProjectEditQueue> logger)
{
    /// <summary>Largest batch: bounds one transaction's locks and statement batch.</summary>
    internal const int MaxBatch = 64;

    private readonly Lock _gate = new();
    private readonly LinkedList<PendingEdit> _queue = new();
    private bool _draining;
    private int _committing;

    /// <summary>Edits waiting for a commit (for tests and diagnostics).</summary>
    internal int Queued
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Edits of the batch being committed (for tests and diagnostics).</summary>
    internal int Committing => Volatile.Read(ref _committing);

    /// <summary>Queues the edit and completes with the project as saved, or with the edit's own failure.</summary>
    public Task<ProjectRow> SubmitAsync(string projectId, UpdateProjectRequest request, AuditActor actor, CancellationToken cancellationToken)
    {
        var edit = new PendingEdit(projectId, request, actor, Activity.Current?.Context ?? default);
        bool start;
        lock (_gate)
        {
            _queue.AddLast(edit);
            start = !_draining;
            _draining = true;
        }

        if (start)
        {
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(DrainAsync, CancellationToken.None);
            }
        }

        // A caller that goes away stops waiting; its edit, once queued, is still committed (as a write whose response
        // is lost would be).
        return edit.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task DrainAsync()
    {
        while (TakeBatch() is { } batch)
        {
            try
            {
                await CommitAsync(batch);
            }
            catch (Exception e)
            {
                // CommitAsync answers every edit itself; this only keeps the drain alive for the next batch.
                logger.LogError(e, "A batch of {Count} project edits failed outside its edits", batch.Count);
                Fail(batch, e);
            }
        }
    }

    /// <summary>The next batch in arrival order, each project once (a later edit of one waits for the next batch).</summary>
    private List<PendingEdit>? TakeBatch()
    {
        lock (_gate)
        {
            _committing = 0;
            if (_queue.Count == 0)
            {
                _draining = false;
                return null;
            }

            var batch = new List<PendingEdit>(Math.Min(_queue.Count, MaxBatch));
            var projects = new HashSet<string>(StringComparer.Ordinal);
            for (var node = _queue.First; node is not null && batch.Count < MaxBatch;)
            {
                var next = node.Next;
                if (projects.Add(node.Value.ProjectId))
                {
                    batch.Add(node.Value);
                    _queue.Remove(node);
                }

                node = next;
            }

            _committing = batch.Count;
            return batch;
        }
    }

    private async Task CommitAsync(List<PendingEdit> batch)
    {
        MwapMetrics.RecordProjectEditBatch(batch.Count);
        // The commit's database spans belong to no one request: they hang off a span linked to each request's trace.
        using var activity = !MwapMetrics.ActivitySource.HasListeners() ? null
            : MwapMetrics.ActivitySource.StartActivity("project edits commit", ActivityKind.Internal, default(ActivityContext),
                links: [.. batch.Where(edit => edit.Trace != default).Select(edit => new ActivityLink(edit.Trace))]);
        activity?.SetTag("mwap.project_edits", batch.Count);
        List<(PendingEdit Edit, ProjectRow Row)> applied;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MwapDbContext>();
            var audit = scope.ServiceProvider.GetRequiredService<IAuditLog>();
            try
            {
                applied = await ApplyAsync(db, audit, batch);
                if (applied.Count == 0)
                {
                    return;
                }

                await ProjectService.SaveAsync(db, CancellationToken.None);
            }
            catch (Exception e) when (batch.Count(edit => !edit.Completion.Task.IsCompleted) > 1)
            {
                logger.LogInformation(e, "A batch of {Count} project edits could not be saved together; saving each alone", batch.Count);
                foreach (var edit in batch.Where(edit => !edit.Completion.Task.IsCompleted))
                {
                    await CommitAloneAsync(edit);
                }

                return;
            }
            catch (Exception e)
            {
                Fail(batch, e);
                return;
            }
        }

        await CompleteAsync(applied);
    }

    /// <summary>Applies each edit to the batch's unit of work; an edit a rule refuses is answered and left out.</summary>
    private static async Task<List<(PendingEdit Edit, ProjectRow Row)>> ApplyAsync(MwapDbContext db, IAuditLog audit, List<PendingEdit> batch)
    {
        var rows = await ProjectReadCache.ReadManyAsync(db, [.. batch.Select(edit => edit.ProjectId)], CancellationToken.None);
        var applied = new List<(PendingEdit, ProjectRow)>(batch.Count);
        foreach (var edit in batch)
        {
            try
            {
                var row = rows.GetValueOrDefault(edit.ProjectId) ?? throw ProjectService.NotFound();
                await ProjectEdit.ApplyAsync(db, audit, edit.Actor, row.Project, edit.Request, CancellationToken.None);
                applied.Add((edit, row));
            }
            catch (MwapException refused)
            {
                edit.Completion.TrySetException(refused);
            }
        }

        return applied;
    }

    /// <summary>One edit in its own unit of work: what every edit did before batching.</summary>
    private async Task CommitAloneAsync(PendingEdit edit)
    {
        try
        {
            ProjectRow row;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<MwapDbContext>();
                row = await ProjectReadCache.ReadAsync(db, edit.ProjectId, CancellationToken.None) ?? throw ProjectService.NotFound();
                await ProjectEdit.ApplyAsync(db, scope.ServiceProvider.GetRequiredService<IAuditLog>(), edit.Actor, row.Project, edit.Request, CancellationToken.None);
                await ProjectService.SaveAsync(db, CancellationToken.None);
            }

            await CompleteAsync([(edit, row)]);
        }
        catch (Exception e)
        {
            edit.Completion.TrySetException(e);
        }
    }

    /// <summary>After the commit: the cached reads go (here and on every other instance), then each edit has its row.</summary>
    private async Task CompleteAsync(List<(PendingEdit Edit, ProjectRow Row)> saved)
    {
        try
        {
            await reads.InvalidateAsync(saved.Select(s => s.Edit.ProjectId), CancellationToken.None);
        }
        catch (Exception e)
        {
            Fail(saved.Select(s => s.Edit), e);
            return;
        }

        foreach (var (edit, row) in saved)
        {
            edit.Completion.TrySetResult(row);
        }
    }

    private static void Fail(IEnumerable<PendingEdit> edits, Exception e)
    {
        foreach (var edit in edits)
        {
            edit.Completion.TrySetException(e);
        }
    }

    private sealed record PendingEdit(string ProjectId, UpdateProjectRequest Request, AuditActor Actor, ActivityContext Trace)
    {
        // Continuations run off the drain, so a slow response never holds up the next batch.
        public TaskCompletionSource<ProjectRow> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
