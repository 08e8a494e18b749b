using Microsoft.EntityFrameworkCore;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Tenants;

/// <summary>
/// Tenant names that differed only in case before names became unique regardless of case (migration
/// I14TenantNameCaseInsensitive). The migration does not fail on them: the oldest tenant keeps the plain normalised
/// name and each later one gets <c>#{id}</c> appended to its normalised name, so the unique index can be built. They are
/// reported at start-up and by <c>migrate</c> until an owner renames them.
/// </summary>
internal static class TenantNameClashes
{
    public sealed record Clash(string Id, string Name);

    public static async Task<IReadOnlyList<Clash>> FindAsync(MwapDbContext db, CancellationToken cancellationToken) =>
        await db.Tenants.AsNoTracking()
            .Where(t => t.NameNormalized.EndsWith("#" + t.Id))
            .OrderBy(t => t.Id)
            .Select(t => new Clash(t.Id, t.Name))
            .ToListAsync(cancellationToken);

    public static string Describe(IReadOnlyList<Clash> clashes) =>
        $"{clashes.Count} tenant name(s) differ only in case from an older tenant's name: " +
        string.Join(", ", clashes.Select(c => $"'{c.Name}' ({c.Id})")) +
        ". They keep working; rename them (PATCH /api/v1/tenants/{id}) to make every name unique regardless of case.";
}
