using Microsoft.Extensions.DependencyInjection.Extensions;
using Mwap.Api.Features.Files.Sync;
using Mwap.Api.Features.Integrations.Dropbox;
using Mwap.Api.Features.Integrations.GoogleDrive;
using Mwap.Api.Features.Integrations.OneDrive;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Features.Files;

internal static class FilesFeature
{
    /// <summary>The file index: per-provider sync sources, the sync engine and its jobs, and the project files API.</summary>
    public static IServiceCollection AddFilesFeature(this IServiceCollection services)
    {
        services.AddSingleton<IFileSyncSource, GoogleDriveSync>();
        services.AddSingleton<IFileSyncSource, DropboxSync>();
        services.AddSingleton<IFileSyncSource, OneDriveSync>();
        services.AddSingleton<DownloadTokens>();
        services.AddSingleton<FilesPageCache>();
        services.TryAddSingleton<SealedCursors>();
        services.AddScoped<FileIndexStore>();
        services.AddScoped<SyncLease>();
        services.AddScoped<ChangeApplier>();
        services.AddScoped<FileSyncService>();
        services.AddScoped<FileSyncJob>();
        services.AddScoped<SyncRequests>();
        services.AddScoped<ProjectFolders>();
        services.AddScoped<ProjectFileSources>();
        services.AddScoped<ProjectLiveFiles>();
        services.AddScoped<ProjectFiles>();
        services.AddScoped<ProjectFileDownloads>();
        return services;
    }
}
