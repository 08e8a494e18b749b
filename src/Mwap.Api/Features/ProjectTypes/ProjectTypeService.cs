using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.Projects;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.ProjectTypes;

internal sealed class ProjectTypeService(MwapDbContext db, IAuditLog audit, TimeProvider time)
{
    public const string InvalidInputCode = "project-type/invalid-schema";

    public async Task<IReadOnlyList<ProjectTypeResponse>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await db.Set<ProjectType>().AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken)).Select(ProjectTypeResponse.From)];

    public async Task<ProjectTypeResponse> GetAsync(string id, CancellationToken cancellationToken) =>
        ProjectTypeResponse.From(await FindAsync(id, tracking: false, cancellationToken));

    public async Task<ProjectTypeResponse> CreateAsync(string actor, CreateProjectTypeRequest request, CancellationToken cancellationToken)
    {
        var name = request.Name!.Trim();
        if (await db.Set<ProjectType>().AnyAsync(t => t.Name == name, cancellationToken))
        {
            throw NameExists();
        }

        var type = new ProjectType
        {
            Id = ObjectId.NewId(time.GetUtcNow()),
            Name = name,
            Description = request.Description!.Trim(),
            ConfigSchema = SchemaText(request.ConfigSchema),
            IsActive = request.IsActive!.Value,
            CreatedBy = actor,
        };
        db.Add(type);
        audit.Record("project-type.create", "project-type", type.Id, null, new { name, isActive = type.IsActive });
        await SaveAsync(cancellationToken);
        return ProjectTypeResponse.From(type);
    }

    public async Task<ProjectTypeResponse> UpdateAsync(string id, UpdateProjectTypeRequest request, CancellationToken cancellationToken)
    {
        var type = await FindAsync(id, tracking: true, cancellationToken);
        if (request.Name is { } rawName && rawName.Trim() != type.Name)
        {
            var name = rawName.Trim();
            if (await db.Set<ProjectType>().AnyAsync(t => t.Name == name && t.Id != id, cancellationToken))
            {
                throw NameExists();
            }

            type.Name = name;
        }

        type.Description = request.Description?.Trim() ?? type.Description;
        type.IsActive = request.IsActive ?? type.IsActive;
        if (request.ConfigSchema is { ValueKind: JsonValueKind.Object })
        {
            type.ConfigSchema = SchemaText(request.ConfigSchema);
        }

        db.Entry(type).Property(t => t.UpdatedAt).IsModified = true;
        audit.Record("project-type.update", "project-type", type.Id, null, new { name = request.Name, isActive = request.IsActive, configSchemaChanged = request.ConfigSchema is not null });
        await SaveAsync(cancellationToken);
        return ProjectTypeResponse.From(type);
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var type = await FindAsync(id, tracking: true, cancellationToken);
        if (await db.Set<Project>().AnyAsync(p => p.ProjectTypeId == id, cancellationToken))
        {
            throw new ConflictException("project-type/in-use", "Project type is in use by existing projects");
        }

        db.Remove(type);
        audit.Record("project-type.delete", "project-type", type.Id, null, new { name = type.Name });
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<ProjectType> FindAsync(string id, bool tracking, CancellationToken cancellationToken)
    {
        var query = tracking ? db.Set<ProjectType>() : db.Set<ProjectType>().AsNoTracking();
        return await query.FirstOrDefaultAsync(t => t.Id == id, cancellationToken)
            ?? throw new NotFoundException("project-type/not-found", "Project type not found");
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.IsOn(e, ProjectTypeConfiguration.NameIndex, "project_types", "name"))
        {
            throw NameExists();
        }
    }

    private static string SchemaText(JsonElement? schema) => schema is { ValueKind: JsonValueKind.Object } s ? s.GetRawText() : "{}";

    private static ConflictException NameExists() => new("project-type/name-exists", "Project type name already exists");
}
