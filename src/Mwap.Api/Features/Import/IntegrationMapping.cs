using MongoDB.Bson;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.Files;
using Mwap.Api.Features.Integrations;
using Mwap.Api.Features.Integrations.Tokens;
using static Mwap.Api.Features.Import.BsonFields;

namespace Mwap.Api.Features.Import;

/// <summary>MWAP's integrations (tokens carried over under our key ring), virtual files and audit rows to our rows.</summary>
internal static class IntegrationMapping
{
    public const string IntegrationDocs = "cloudProviderIntegrations";

    /// <summary>The infrastructure guide's name for the same collection.</summary>
    public const string GuideIntegrationDocs = "cloudIntegrations";

    public const string FileDocs = "virtualFiles";
    public const string AuditDocs = "auditLogs";

    private const string DriveFolder = "application/vnd.google-apps.folder";

    /// <summary>An integration, or null when its provider is unknown. Secrets that cannot be carried make it <c>expired</c>.</summary>
    public static (CloudIntegration Integration, string? SecretProblem)? MapIntegration(ImportRun run, ImportReport delta, string collection,
        string tenantId, string id, BsonDocument doc, CloudIntegration? current)
    {
        var providerRaw = Id(doc, "providerId") ?? Id(doc, "cloudProviderId");
        if (providerRaw is null || !run.Providers.TryGetValue(providerRaw, out var providerId))
        {
            delta.Note(collection, id, NoteKinds.Skipped, $"cloud provider {providerRaw ?? "(none)"} not found");
            return null;
        }

        var status = (Str(doc, "status") ?? IntegrationStatus.Active).Trim().ToLowerInvariant();
        if (!IntegrationStatus.All.Contains(status))
        {
            delta.Note(collection, id, NoteKinds.Normalised, $"status '{status}' is unknown; imported as error");
            status = IntegrationStatus.Error;
        }

        var integration = new CloudIntegration
        {
            Id = id,
            TenantId = tenantId,
            ProviderId = providerId,
            TokenExpiresAt = Date(doc, "tokenExpiresAt") ?? Date(doc, "authData", "expiresAt"),
            ScopesGranted = Strings(doc, "scopesGranted") is { Count: > 0 } scopes ? scopes : Strings(doc, "authData", "scope"),
            ConnectedAt = Date(doc, "connectedAt"),
            Account = new IntegrationAccount
            {
                Email = Str(doc, "userInfo", "email") is { } email ? Cut(email, 320) : null,
                Name = Str(doc, "userInfo", "name") is { } name ? Cut(name, 256) : null,
                ProviderUserId = Str(doc, "userInfo", "providerId") is { } user ? Cut(user, 256) : null,
            },
            Health = new IntegrationHealth
            {
                LastCheck = Date(doc, "health", "lastCheck"),
                Status = Str(doc, "health", "status") is "healthy" or "degraded" or "unhealthy" ? Str(doc, "health", "status")! : "unknown",
                ErrorCount = (int)Math.Clamp(Long(doc, "health", "errorCount") ?? 0, 0, int.MaxValue),
                LastError = Str(doc, "health", "lastError") is { } error ? Cut(error, 2000) : null,
            },
            Usage = new IntegrationUsage
            {
                TotalRequests = Long(doc, "usage", "totalRequests") ?? 0,
                LastRequest = Date(doc, "usage", "lastRequest"),
                QuotaUsed = Long(doc, "usage", "quotaUsed"),
                QuotaLimit = Long(doc, "usage", "quotaLimit"),
            },
            Metadata = JsonText(doc, "metadata"),
            CreatedBy = Cut(Str(doc, "createdBy") ?? "mwap-import", 256),
            CreatedAt = Date(doc, "createdAt") ?? run.Now,
            UpdatedAt = Date(doc, "updatedAt") ?? Date(doc, "createdAt") ?? run.Now,
        };
        // MWAP wrote updatedAt on every token refresh: it is the best "last refreshed" there is.
        integration.LastRefreshedAt = integration.UpdatedAt;

        var access = SecretCarrier.Carry(run, delta, Str(doc, "accessToken") ?? Str(doc, "authData", "accessToken"),
            TokenService.AccessContext(id), out var accessProblem);
        var refresh = SecretCarrier.Carry(run, delta, Str(doc, "refreshToken") ?? Str(doc, "authData", "refreshToken"),
            TokenService.RefreshContext(id), out var refreshProblem);
        var problem = accessProblem ?? refreshProblem;
        if (problem is not null && current?.EncryptedAccessToken is not null)
        {
            // A re-run without the right key must not wipe tokens an earlier run carried over.
            integration.Status = current.Status;
            integration.EncryptedAccessToken = current.EncryptedAccessToken;
            integration.EncryptedRefreshToken = current.EncryptedRefreshToken;
            delta.Note(collection, id, NoteKinds.Secret, problem + "; the tokens already here are kept");
        }
        else if (problem is not null)
        {
            // A connection is worth nothing without both its tokens: keep neither, and ask for a reconnect.
            integration.Status = IntegrationStatus.Expired;
            delta.Note(collection, id, NoteKinds.Secret, problem + "; imported as expired (reconnect needed)");
        }
        else if (access is null && refresh is null && status == IntegrationStatus.Active)
        {
            // MWAP created integrations "active" before any OAuth dance: here that is "pending" (never connected).
            integration.Status = IntegrationStatus.Pending;
            delta.Note(collection, id, NoteKinds.Normalised, "status 'active' without tokens (never connected); imported as pending");
        }
        else
        {
            integration.Status = status;
            integration.EncryptedAccessToken = access;
            integration.EncryptedRefreshToken = refresh;
        }

        return (integration, problem);
    }

    public static VirtualFile? MapFile(ImportRun run, ImportReport delta, string tenantId, string id, string integrationId, BsonDocument doc)
    {
        var providerFileId = Str(doc, "providerFileId") ?? Str(doc, "fileId");
        var path = Str(doc, "path");
        var name = Str(doc, "name") ?? (path is null ? null : path.TrimEnd('/').Split('/')[^1]);
        if (string.IsNullOrEmpty(providerFileId) || string.IsNullOrEmpty(name))
        {
            delta.Note(FileDocs, id, NoteKinds.Skipped, "no providerFileId or name");
            return null;
        }

        path = "/" + (path ?? name).Trim('/');
        var lower = path.ToLowerInvariant();
        var slash = lower.LastIndexOf('/');
        var mime = Str(doc, "mimeType") ?? Str(doc, "type") ?? "application/octet-stream";
        var folder = Bool(doc, "isFolder") ?? (mime is DriveFolder or "folder" or "inode/directory");
        return new VirtualFile
        {
            Id = id,
            TenantId = tenantId,
            IntegrationId = integrationId,
            ProviderFileId = Cut(providerFileId, 512),
            Name = Cut(name, 1024),
            NameLower = Cut(name.ToLowerInvariant(), 1024),
            Path = Cut(path, 4096),
            PathLower = Cut(lower, 4096),
            ParentPathLower = slash <= 0 ? "" : lower[..slash],
            MimeType = Cut(folder ? (mime == "folder" ? DriveFolder : mime) : mime, 256),
            IsFolder = folder,
            Size = Long(doc, "size"),
            ModifiedTime = Date(doc, "modifiedTime") ?? Date(doc, "modifiedAt"),
            Checksum = (Str(doc, "metadata", "checksum") ?? Str(doc, "checksum")) is { } sum ? Cut(sum, 128) : null,
            IndexedAt = Date(doc, "syncStatus", "lastSync") ?? Date(doc, "updatedAt") ?? run.Now,
        };
    }

    public static AuditLogEntry? MapAudit(ImportRun run, ImportReport delta, string? tenantId, string id, BsonDocument doc)
    {
        var action = Str(doc, "action")?.Trim();
        if (string.IsNullOrEmpty(action))
        {
            delta.Note(AuditDocs, id, NoteKinds.Skipped, "no action");
            return null;
        }

        string? details = null;
        if (Get(doc, "details") is BsonDocument raw)
        {
            // Same last line of defence as our own audit rows: a key that names a secret loses its value.
            details = AuditDetails.ToJson(raw);
            if (details is null)
            {
                delta.Note(AuditDocs, id, NoteKinds.Normalised, $"details nested deeper than {AuditDetails.MaxDepth} levels; dropped");
                details = """{"truncated":true}""";
            }
            else if (details.Length > 16_000)
            {
                delta.Note(AuditDocs, id, NoteKinds.Normalised, "details longer than 16,000 characters; dropped");
                details = """{"truncated":true}""";
            }
        }

        var success = Bool(doc, "success");
        return new AuditLogEntry
        {
            Id = id,
            TenantId = tenantId,
            ActorId = Cut(Str(doc, "userId") ?? Str(doc, "actorId") ?? "system", 256),
            Action = Cut(action, 100),
            TargetType = Cut(Str(doc, "resource", "type") ?? Str(doc, "targetType") ?? "unknown", 50),
            TargetId = (Str(doc, "resource", "id") ?? Str(doc, "targetId")) is { } target ? Cut(target, 256) : null,
            Outcome = success is null ? Cut(Str(doc, "outcome") ?? AuditOutcome.Success, 20) : success.Value ? AuditOutcome.Success : AuditOutcome.Failure,
            Ip = Str(doc, "ip") is { } ip ? Cut(ip, 64) : null,
            UserAgent = Str(doc, "userAgent") is { } agent ? Cut(agent, 512) : null,
            Details = details,
            CreatedAt = Date(doc, "timestamp") ?? Date(doc, "createdAt") ?? (Get(doc, "_id") is BsonObjectId oid ? oid.Value.CreationTime : run.Now),
        };
    }
}
