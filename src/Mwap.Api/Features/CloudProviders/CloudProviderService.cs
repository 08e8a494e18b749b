using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.CloudProviders;

/// <summary>The provider catalogue. Secrets are encrypted before they touch the database and never leave it in a response.</summary>
internal sealed class CloudProviderService(
    MwapDbContext db, IAuditLog audit, ISecretProtector secrets, TimeProvider time, IOptions<CloudProvidersOptions> options)
{
    public const string InvalidInputCode = "cloud-provider/invalid-input";
    private const string NotFoundCode = "cloud-provider/not-found";

    public async Task<IReadOnlyList<CloudProviderResponse>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await db.Set<CloudProvider>().AsNoTracking().OrderBy(p => p.Name).ToListAsync(cancellationToken)).Select(CloudProviderResponse.From)];

    public async Task<CloudProviderResponse> GetAsync(string id, CancellationToken cancellationToken) =>
        CloudProviderResponse.From(await FindAsync(id, tracking: false, cancellationToken));

    public async Task<CloudProviderResponse> CreateAsync(string actor, CreateCloudProviderRequest request, CancellationToken cancellationToken)
    {
        CheckUrls(request.AuthUrl, request.TokenUrl);
        var name = request.Name!.Trim();
        await EnsureUniqueAsync(name, request.Slug!, exceptId: null, cancellationToken);
        var provider = new CloudProvider
        {
            Id = ObjectId.NewId(time.GetUtcNow()),
            Name = name,
            DisplayName = request.DisplayName?.Trim(),
            Slug = request.Slug!,
            Scopes = request.Scopes!,
            AuthUrl = request.AuthUrl!,
            TokenUrl = request.TokenUrl!,
            ClientId = request.ClientId!,
            GrantType = request.GrantType ?? "authorization_code",
            TokenMethod = request.TokenMethod ?? "POST",
            Metadata = MetadataText(request.Metadata),
            CreatedBy = actor,
        };
        provider.EncryptedClientSecret = secrets.Protect(request.ClientSecret!, provider.ClientSecretContext);
        db.Add(provider);
        audit.Record("cloud-provider.create", "cloud-provider", provider.Id, null, new { name, slug = provider.Slug, scopes = provider.Scopes });
        await SaveAsync(cancellationToken);
        return CloudProviderResponse.From(provider);
    }

    public async Task<CloudProviderResponse> UpdateAsync(string id, UpdateCloudProviderRequest request, CancellationToken cancellationToken)
    {
        var provider = await FindAsync(id, tracking: true, cancellationToken);
        CheckUrls(request.AuthUrl ?? provider.AuthUrl, request.TokenUrl ?? provider.TokenUrl);
        var name = request.Name?.Trim() ?? provider.Name;
        await EnsureUniqueAsync(name, request.Slug ?? provider.Slug, exceptId: id, cancellationToken);

        provider.Name = name;
        provider.DisplayName = request.DisplayName?.Trim() ?? provider.DisplayName;
        provider.Slug = request.Slug ?? provider.Slug;
        provider.Scopes = request.Scopes ?? provider.Scopes;
        provider.AuthUrl = request.AuthUrl ?? provider.AuthUrl;
        provider.TokenUrl = request.TokenUrl ?? provider.TokenUrl;
        provider.ClientId = request.ClientId ?? provider.ClientId;
        provider.GrantType = request.GrantType ?? provider.GrantType;
        provider.TokenMethod = request.TokenMethod ?? provider.TokenMethod;
        if (request.Metadata is not null)
        {
            provider.Metadata = MetadataText(request.Metadata);
        }

        if (request.ClientSecret is not null)
        {
            provider.EncryptedClientSecret = secrets.Protect(request.ClientSecret, provider.ClientSecretContext);
        }

        db.Entry(provider).Property(p => p.UpdatedAt).IsModified = true;
        audit.Record("cloud-provider.update", "cloud-provider", provider.Id, null, new
        {
            changed = ChangedFields(request),
            clientSecret = request.ClientSecret is null ? null : CloudProviderResponse.Redacted,
        });
        await SaveAsync(cancellationToken);
        return CloudProviderResponse.From(provider);
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var provider = await FindAsync(id, tracking: true, cancellationToken);
        if (await db.Set<Integrations.CloudIntegration>().AnyAsync(i => i.ProviderId == id, cancellationToken))
        {
            throw new ConflictException("cloud-provider/in-use", "Cloud provider is in use by existing integrations");
        }

        db.Remove(provider);
        audit.Record("cloud-provider.delete", "cloud-provider", provider.Id, null, new { name = provider.Name, slug = provider.Slug });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Creates any of the three standard providers that do not exist yet (by slug). Returns the slugs created.</summary>
    /// <summary>
    /// Creates each standard provider that does not exist yet and has credentials; reports per provider what it did
    /// (created, already there, or skipped for want of credentials) instead of stopping at the first gap.
    /// </summary>
    public async Task<IReadOnlyList<SeedOutcome>> SeedStandardAsync(string actor, Func<string, SeedCredentials?> credentials, CancellationToken cancellationToken)
    {
        var outcomes = new List<SeedOutcome>();
        foreach (var standard in StandardProviders.All)
        {
            if (await db.Set<CloudProvider>().AnyAsync(p => p.Slug == standard.Slug || p.Name == standard.Name, cancellationToken))
            {
                outcomes.Add(new(standard.Slug, SeedResult.Exists, "already exists, left unchanged"));
                continue;
            }

            var creds = credentials(standard.Slug);
            if (string.IsNullOrWhiteSpace(creds?.ClientId) || string.IsNullOrWhiteSpace(creds.ClientSecret))
            {
                outcomes.Add(new(standard.Slug, SeedResult.MissingCredentials,
                    $"skipped: no client credentials (set CloudProviders:Seed:{standard.Slug}:ClientId and :ClientSecret, " +
                    $"or {standard.EnvironmentPrefix}_CLIENT_ID and {standard.EnvironmentPrefix}_CLIENT_SECRET)"));
                continue;
            }

            await CreateAsync(actor, new CreateCloudProviderRequest
            {
                Name = standard.Name,
                DisplayName = standard.DisplayName,
                Slug = standard.Slug,
                Scopes = [.. standard.Scopes],
                AuthUrl = standard.AuthUrl,
                TokenUrl = standard.TokenUrl,
                ClientId = creds.ClientId,
                ClientSecret = creds.ClientSecret,
            }, cancellationToken);
            outcomes.Add(new(standard.Slug, SeedResult.Created, "created"));
        }

        return outcomes;
    }

    private async Task<CloudProvider> FindAsync(string id, bool tracking, CancellationToken cancellationToken)
    {
        var query = tracking ? db.Set<CloudProvider>() : db.Set<CloudProvider>().AsNoTracking();
        return await query.FirstOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw new NotFoundException(NotFoundCode, "Cloud provider not found");
    }

    private async Task EnsureUniqueAsync(string name, string slug, string? exceptId, CancellationToken cancellationToken)
    {
        var others = db.Set<CloudProvider>().Where(p => p.Id != exceptId);
        if (await others.AnyAsync(p => p.Name == name, cancellationToken))
        {
            throw NameExists();
        }

        if (await others.AnyAsync(p => p.Slug == slug, cancellationToken))
        {
            throw SlugExists();
        }
    }

    private void CheckUrls(string? authUrl, string? tokenUrl)
    {
        var allowInsecure = options.Value.AllowInsecureUrls;
        var errors = new Dictionary<string, string>();
        if (authUrl is not null && CloudProviderRules.CheckUrl(authUrl, allowInsecure) is { } authError)
        {
            errors["authUrl"] = authError;
        }

        if (tokenUrl is not null && CloudProviderRules.CheckUrl(tokenUrl, allowInsecure) is { } tokenError)
        {
            errors["tokenUrl"] = tokenError;
        }

        if (errors.Count > 0)
        {
            throw new BadRequestException(InvalidInputCode, "Invalid input", errors);
        }
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.IsOn(e, CloudProviderConfiguration.NameIndex, CloudProvider.TableName, "name"))
        {
            throw NameExists();
        }
        catch (DbUpdateException e) when (UniqueViolation.IsOn(e, CloudProviderConfiguration.SlugIndex, CloudProvider.TableName, "slug"))
        {
            throw SlugExists();
        }
    }

    private static string? MetadataText(JsonElement? metadata)
    {
        if (metadata is not { ValueKind: JsonValueKind.Object } m)
        {
            return null;
        }

        // metadata.tenant becomes a path segment of Microsoft's authorize and token URLs.
        if (m.TryGetProperty(Integrations.OneDrive.MicrosoftTenant.MetadataKey, out var tenant)
            && (tenant.ValueKind != JsonValueKind.String || !Integrations.OneDrive.MicrosoftTenant.IsValid(tenant.GetString()!)))
        {
            throw new BadRequestException(InvalidInputCode, "Invalid input", new Dictionary<string, string>
            {
                ["metadata.tenant"] = "Must be common, organizations, consumers, a tenant id or a tenant domain",
            });
        }

        return m.GetRawText();
    }

    private static List<string> ChangedFields(UpdateCloudProviderRequest r) =>
        [.. new (string Name, object? Value)[]
        {
            ("name", r.Name), ("displayName", r.DisplayName), ("slug", r.Slug), ("scopes", r.Scopes), ("authUrl", r.AuthUrl),
            ("tokenUrl", r.TokenUrl), ("clientId", r.ClientId), ("clientSecret", r.ClientSecret), ("grantType", r.GrantType),
            ("tokenMethod", r.TokenMethod), ("metadata", r.Metadata),
        }.Where(f => f.Value is not null).Select(f => f.Name)];

    private static ConflictException NameExists() => new("cloud-provider/name-exists", "Cloud provider name already exists");

    private static ConflictException SlugExists() => new("cloud-provider/slug-exists", "Cloud provider slug already exists");
}
