using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Tenants;

/// <summary>An organisation. Each user owns at most one; its name is unique across the platform (as in MWAP).</summary>
internal sealed class Tenant : IHasTimestamps, IVersioned
{
    public const int NameMinLength = 3;
    public const int NameMaxLength = 50;
    public const int DescriptionMaxLength = 500;

    private Tenant()
    {
    }

    public Tenant(string id, string ownerId, string name, string? description, TenantSettings settings)
    {
        Id = id;
        OwnerId = ownerId;
        Rename(name);
        Description = description;
        Settings = settings;
    }

    public string Id { get; private set; } = null!;
    public string Name { get; private set; } = null!;

    /// <summary>
    /// The name folded to lower case: the unique index is on this column, so "Acme Corp" and "acme corp" cannot both
    /// exist on either database whatever its collation. Tenants that clashed before the index existed carry their id as a
    /// suffix here (see <see cref="TenantNameClashes"/>) until an owner renames them.
    /// </summary>
    public string NameNormalized { get; private set; } = null!;

    public string? Description { get; private set; }

    /// <summary>The identity-provider subject of the owner. Never changes.</summary>
    public string OwnerId { get; private set; } = null!;

    /// <summary>
    /// The owner's email address, taken from the <c>email</c> claim of the owner's token (at creation and on
    /// <c>GET /tenants/me</c>). Only used to notify the owner; never returned to anyone.
    /// </summary>
    public string? OwnerEmail { get; private set; }

    /// <summary>JSON object written by the usage aggregation job (totals, storage, last activity); null until it first runs.</summary>
    public string? Metadata { get; private set; }

    public TenantSettings Settings { get; private set; } = new();
    public TenantSubscription Subscription { get; private set; } = new();
    public bool Archived { get; private set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }

    public void Rename(string name)
    {
        Name = name;
        NameNormalized = NormalizeName(name);
    }

    public static string NormalizeName(string name) => name.Trim().ToLowerInvariant();

    public void SetOwnerEmail(string? email) => OwnerEmail = email;

    public void Describe(string? description) => Description = description;

    public void SetArchived(bool archived) => Archived = archived;

    /// <summary>Billing state as another system recorded it (the MWAP import).</summary>
    public void SetSubscription(TenantSubscription subscription) => Subscription = subscription;
}

/// <summary>Owner-editable settings. Bounds are enforced on input; defaults apply to new tenants.</summary>
internal sealed class TenantSettings
{
    public const int DefaultMaxProjects = 10;

    public bool AllowPublicProjects { get; set; }
    public int MaxProjects { get; set; } = DefaultMaxProjects;

    /// <summary>Days audit rows are kept; null means the platform default (<c>AuditLog:RetentionDays</c>).</summary>
    public int? RetentionDays { get; set; }

    public TenantFeatures Features { get; set; } = new();
}

internal sealed class TenantFeatures
{
    public bool CloudIntegrations { get; set; } = true;
    public bool AdvancedSecurity { get; set; }
    public bool CustomBranding { get; set; }
}

/// <summary>Billing state, written by the platform, read by clients.</summary>
internal sealed class TenantSubscription
{
    public string Plan { get; set; } = "free";
    public string Status { get; set; } = "active";
    public DateTime? ExpiresAt { get; set; }
}
