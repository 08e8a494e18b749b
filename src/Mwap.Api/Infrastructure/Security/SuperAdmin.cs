using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Infrastructure.Security;

/// <summary>A platform administrator, by identity-provider subject.</summary>
internal sealed class SuperAdmin
{
    public string Id { get; init; } = null!;
    public string UserId { get; init; } = null!;
    public string AddedBy { get; init; } = null!;
    public DateTime CreatedAt { get; init; }
}

internal sealed class SuperAdminConfiguration : IEntityTypeConfiguration<SuperAdmin>
{
    public void Configure(EntityTypeBuilder<SuperAdmin> builder)
    {
        builder.ToTable("superadmins");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(24).ValueGeneratedNever();
        builder.Property(s => s.UserId).HasMaxLength(256).IsRequired();
        builder.Property(s => s.AddedBy).HasMaxLength(256).IsRequired();
        builder.HasIndex(s => s.UserId).IsUnique();
    }
}

/// <summary>Adds superadmins from configuration and from the <c>superadmin add</c> verb.</summary>
internal sealed class SuperAdminRegistry(MwapDbContext db, IRoleResolver roles, TimeProvider time, IOptions<AuthOptions> options)
{
    /// <summary>Seeds every subject in <c>Auth:SuperAdmins</c> that is not yet a superadmin. Idempotent.</summary>
    public async Task SeedFromConfigurationAsync(CancellationToken cancellationToken)
    {
        foreach (var sub in options.Value.SuperAdmins.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).Distinct())
        {
            await AddAsync(sub, "configuration", cancellationToken);
        }
    }

    /// <summary>Returns false when the subject already was a superadmin.</summary>
    public async Task<bool> AddAsync(string userId, string addedBy, CancellationToken cancellationToken)
    {
        if (await db.SuperAdmins.AnyAsync(s => s.UserId == userId, cancellationToken))
        {
            return false;
        }

        var now = time.GetUtcNow();
        db.SuperAdmins.Add(new SuperAdmin { Id = ObjectId.NewId(now), UserId = userId, AddedBy = addedBy, CreatedAt = now.UtcDateTime });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await roles.InvalidateAsync([userId], cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            // Another instance seeded the same subject at the same moment.
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
