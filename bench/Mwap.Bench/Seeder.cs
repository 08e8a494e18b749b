using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Integrations.Providers;
using Mwap.Api.Features.Integrations.Tokens;
using Mwap.Api.Features.Tenants;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Bench;

/// <summary>
/// Writes the benchmark's data straight through <see cref="MwapDbContext"/>: the fake Dropbox as a provider (its
/// client secret protected as <see cref="CloudProviderService"/> protects it), and one tenant with one connected
/// Dropbox integration per seeded user, its tokens minted by the fake and stored by <see cref="TokenService.Store"/>.
/// </summary>
internal sealed class Seeder(IServiceProvider services, FakeServerProcess fake)
{
    private const string Actor = "bench|seeder";
    private const int BatchSize = 1000;

    /// <summary>Registers the fake Dropbox; returns the provider id.</summary>
    public Task<string> AddDropboxAsync() => AddProviderAsync("dropbox");

    /// <summary>Registers one fake provider (google, dropbox, onedrive) as an admin would; returns the provider id.</summary>
    public async Task<string> AddProviderAsync(string kind)
    {
        var endpoints = fake.Endpoints.For(kind);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MwapDbContext>();
        var provider = new CloudProvider
        {
            Id = ObjectId.NewId(),
            Name = kind + " (fake)",
            Slug = kind switch { "google" => "google-drive", "onedrive" => "onedrive", _ => "dropbox" },
            Scopes = [.. FakeTreeCommands.Scopes(kind)],
            AuthUrl = endpoints.AuthorizeUrl,
            TokenUrl = endpoints.TokenUrl,
            ClientId = endpoints.ClientId,
            Metadata = endpoints.ContentBaseUrl is null
                ? JsonSerializer.Serialize(new { apiBaseUrl = endpoints.ApiBaseUrl })
                : JsonSerializer.Serialize(new { apiBaseUrl = endpoints.ApiBaseUrl, contentBaseUrl = endpoints.ContentBaseUrl }),
            CreatedBy = Actor,
        };
        provider.EncryptedClientSecret = scope.ServiceProvider.GetRequiredService<ISecretProtector>().Protect(endpoints.ClientSecret, provider.ClientSecretContext);
        db.Add(provider);
        await db.SaveChangesAsync();
        return provider.Id;
    }

    /// <summary>Adds <paramref name="count"/> tenants, each with one active integration; returns (integration id, plaintext refresh token).</summary>
    public async Task<List<SeededIntegration>> AddIntegrationsAsync(string providerId, int count, string kind = "dropbox")
    {
        var seeded = new List<SeededIntegration>(count);
        for (var offset = 0; offset < count; offset += BatchSize)
        {
            var size = Math.Min(BatchSize, count - offset);
            var tokens = await fake.IssueTokensAsync(kind, size);
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MwapDbContext>();
            var tokenService = scope.ServiceProvider.GetRequiredService<TokenService>();
            for (var i = 0; i < size; i++)
            {
                var n = offset + i;
                var owner = $"bench|owner-{n:D7}";
                var tenant = new Tenant(ObjectId.NewId(), owner, $"Bench tenant {n:D7}", null, new TenantSettings());
                var integration = new CloudIntegration
                {
                    Id = ObjectId.NewId(),
                    TenantId = tenant.Id,
                    ProviderId = providerId,
                    CreatedBy = owner,
                    ConnectedAt = DateTime.UtcNow,
                    Account = new IntegrationAccount { Email = $"owner{n}@example.com", Name = $"Owner {n}", ProviderUserId = $"dbid:bench{n:D7}" },
                };
                var (access, refresh) = tokens[i];
                // As the OAuth callback stores a code exchange: the access token (4 h, Dropbox's), its refresh token, its scopes.
                tokenService.Store(integration, new TokenSet(access, refresh, 14_400, FakeTreeCommands.Scopes(kind)));
                db.Add(tenant);
                db.Add(integration);
                seeded.Add(new SeededIntegration(integration.Id, refresh, access, tenant.Id));
            }

            await db.SaveChangesAsync();
        }

        return seeded;
    }

    /// <summary>
    /// Puts integrations inside the refresh window (token expiring in 5 minutes) and dates their last refresh an hour
    /// back, so the job picks exactly them and a successful refresh is visible. Null means all.
    /// </summary>
    public async Task MakeDueAsync(IReadOnlyCollection<string>? ids)
    {
        var now = DateTime.UtcNow;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MwapDbContext>();
        var all = db.Set<CloudIntegration>();
        // Everything else is pushed out of the window, so a subset run (the warm-up) touches only its subset.
        await all.ExecuteUpdateAsync(s => s.SetProperty(i => i.TokenExpiresAt, now.AddHours(4)).SetProperty(i => i.LastRefreshedAt, now.AddHours(-1)));
        var due = ids is null ? all : all.Where(i => ids.Contains(i.Id));
        await due.ExecuteUpdateAsync(s => s.SetProperty(i => i.TokenExpiresAt, now.AddMinutes(5)));
    }

    /// <summary>What the job left behind, for the checks after a run.</summary>
    public async Task<StoredState> ReadStateAsync(DateTime refreshedSince)
    {
        await using var scope = services.CreateAsyncScope();
        var set = scope.ServiceProvider.GetRequiredService<MwapDbContext>().Set<CloudIntegration>().AsNoTracking();
        return new StoredState(
            await set.CountAsync(i => i.LastRefreshedAt >= refreshedSince),
            await set.CountAsync(i => i.RefreshLeaseUntil != null || i.RefreshLeaseOwner != null),
            await set.CountAsync(i => i.Status != IntegrationStatus.Active));
    }
}

internal sealed record SeededIntegration(string Id, string RefreshToken, string AccessToken, string TenantId);

internal sealed record StoredState(int RefreshedSince, int Leased, int NotActive);
