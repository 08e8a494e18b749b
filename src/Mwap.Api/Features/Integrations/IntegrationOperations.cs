using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.CloudProviders;
using Mwap.Api.Features.Integrations.Providers;
using Mwap.Api.Features.Integrations.Tokens;
using Mwap.Api.Infrastructure.Http;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Integrations;

internal sealed record ConnectionTestResult(bool Success, ConnectionTestDetails Details,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Error);

internal sealed record ConnectionTestDetails(bool TokenValid, bool ApiReachable, bool ScopesValid, long? ResponseTime);

internal sealed record FolderItem(string Id, string Name, string Path, bool IsFolder, bool IsContainer);

internal sealed record FolderCapabilities(bool SupportsPath, bool SupportsId, bool SupportsContainers, int? MaxPageSize);

/// <summary>MWAP's folders response: the envelope plus <c>nextCursor</c>, <c>hasMore</c> and <c>capabilities</c> at the top level.</summary>
internal sealed record FoldersResponse(IReadOnlyList<FolderItem> Data, string? NextCursor, bool HasMore, FolderCapabilities Capabilities)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
#pragma warning disable CA1822 // serialised as an instance property
    public bool Success => true;
#pragma warning restore CA1822
}

/// <summary>What a tenant owner can do with a connected integration: refresh now, test, browse folders (spec #16, #17, #19).</summary>
internal sealed class IntegrationOperations(MwapDbContext db, TokenService tokens, ProviderRegistry providers, SealedCursors cursors)
{
    /// <summary>The code every refused cursor gets, here as in the files API.</summary>
    public const string InvalidCursorCode = "file/invalid-query";

    public async Task<IntegrationResponse> RefreshNowAsync(string tenantId, string integrationId, CancellationToken cancellationToken)
    {
        var integration = await FindAsync(tenantId, integrationId, cancellationToken);
        if (integration.EncryptedRefreshToken is null)
        {
            throw new BadRequestException(IntegrationService.InvalidInputCode, "Integration does not have a refresh token");
        }

        integration = await tokens.RefreshAsync(integrationId, staleAccessToken: null, cancellationToken);

        var provider = await db.Set<CloudProvider>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == integration.ProviderId, cancellationToken);
        return IntegrationResponse.From(integration, provider);
    }

    public async Task<ConnectionTestResult> TestAsync(string tenantId, string integrationId, CancellationToken cancellationToken)
    {
        var integration = await FindAsync(tenantId, integrationId, cancellationToken);
        if (integration.EncryptedAccessToken is null)
        {
            return new ConnectionTestResult(false, new ConnectionTestDetails(false, false, false, null), "Missing access token");
        }

        var clock = Stopwatch.StartNew();
        try
        {
            await tokens.WithAccessTokenAsync(integrationId, (config, client, token) => client.GetAccountAsync(config, token, cancellationToken), cancellationToken);
            var scopesValid = integration.ScopesGranted.Count == 0 || ClientFor(integration) is not { } c || c.HasRequiredScopes(integration.ScopesGranted);
            return new ConnectionTestResult(scopesValid, new ConnectionTestDetails(true, true, scopesValid, clock.ElapsedMilliseconds),
                scopesValid ? null : "The storage scope was not granted; reconnect required");
        }
        catch (ProviderException e)
        {
            var elapsed = clock.ElapsedMilliseconds;
            return e.Kind switch
            {
                ProviderErrorKind.Unavailable => new(false, new(false, false, false, elapsed), "Provider unreachable (timeout)"),
                ProviderErrorKind.RateLimited => new(false, new(false, true, false, elapsed), "Provider rate limit exceeded; retry later"),
                ProviderErrorKind.Forbidden => new(false, new(true, true, false, elapsed), "The token lacks the required permissions"),
                ProviderErrorKind.InvalidGrant or ProviderErrorKind.InvalidClient => new(false, new(false, true, false, elapsed), "Refresh token invalid or expired; reconnect required"),
                _ => new(false, new(false, true, false, elapsed), "Token validation failed"),
            };
        }
    }

    public async Task<FoldersResponse> ListFoldersAsync(string tenantId, string integrationId, FolderQuery query, CancellationToken cancellationToken)
    {
        var integration = await FindAsync(tenantId, integrationId, cancellationToken);
        if (integration.EncryptedAccessToken is null)
        {
            throw new UnauthorizedException("oauth/unauthorized", "The integration is not connected");
        }

        // The provider's page token (a Graph URL, a Dropbox cursor) goes out sealed and bound to this folder: a caller
        // cannot hand the provider a token or URL of their own.
        var binding = CursorBinding.Of("folders", tenantId, integrationId, query.FolderId, query.Path);
        if (query.Cursor is { } cursor)
        {
            query = cursors.TryOpen(cursor, binding, out var pageToken)
                ? query with { Cursor = pageToken }
                : throw new BadRequestException(InvalidCursorCode, "Invalid query parameters",
                    new Dictionary<string, string> { ["cursor"] = "cursor is invalid, expired, or belongs to another listing" });
        }

        if (query.FolderId is { } folderId && query.ParentPath is null)
        {
            // The index knows the folder's path when it has synced it; otherwise the client walks its parents.
            var indexed = await db.Set<Files.VirtualFile>().AsNoTracking()
                .Where(f => f.TenantId == tenantId && f.IntegrationId == integrationId && f.ProviderFileId == folderId && f.IsFolder)
                .Select(f => f.Path).FirstOrDefaultAsync(cancellationToken);
            query = query with { ParentPath = indexed };
        }

        var page = await tokens.WithAccessTokenAsync(integrationId, (config, client, token) => client.ListFoldersAsync(config, token, query, cancellationToken), cancellationToken);
        var next = page.NextCursor is { } nextToken ? cursors.Seal(nextToken, binding) : null;
        return new FoldersResponse(
            [.. page.Folders.Select(f => new FolderItem(f.Id, f.Name, f.Path, true, false))],
            next, next is not null, new FolderCapabilities(page.SupportsPath, page.SupportsId, false, null));
    }

    public async Task EnsureInTenantAsync(string tenantId, string integrationId, CancellationToken cancellationToken) =>
        await FindAsync(tenantId, integrationId, cancellationToken);

    private ICloudStorageClient? ClientFor(CloudIntegration integration)
    {
        var provider = db.Set<CloudProvider>().AsNoTracking().FirstOrDefault(p => p.Id == integration.ProviderId);
        return provider is null ? null : providers.ClientFor(provider);
    }

    private async Task<CloudIntegration> FindAsync(string tenantId, string integrationId, CancellationToken cancellationToken) =>
        await db.Set<CloudIntegration>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == integrationId && i.TenantId == tenantId, cancellationToken)
        ?? throw new NotFoundException("cloud-integration/not-found", "Cloud provider integration not found");
}
