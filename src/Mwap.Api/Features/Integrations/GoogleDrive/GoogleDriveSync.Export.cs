using Mwap.Api.Features.Files.Sync;
using Mwap.Api.Features.Integrations.Providers;

namespace Mwap.Api.Features.Integrations.GoogleDrive;

internal sealed partial class GoogleDriveSync
{
    /// <summary>
    /// Docs-editor files through <c>files.export</c>: <c>alt=media</c> refuses them with 403 <c>fileNotDownloadable</c>,
    /// and export refuses content over 10 MB with 403 <c>exportSizeLimitExceeded</c>
    /// (https://developers.google.com/drive/api/reference/rest/v3/files/export).
    /// </summary>
    public Task<HttpResponseMessage> OpenExportAsync(IProviderCaller caller, string fileId, string mimeType, CancellationToken cancellationToken) =>
        caller.CallAsync(async (config, token) =>
        {
            var target = await ResolveShortcutAsync(config, token, fileId, cancellationToken);
            var url = OAuthHttp.Query(Url(config, $"/files/{Uri.EscapeDataString(target)}/export"), [new("mimeType", mimeType)]);
            using var request = OAuthHttp.Bearer(HttpMethod.Get, url, token);
            request.Headers.Accept.Clear();
            var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                using (response)
                {
                    var body = await response.Content.ReadAsStringAsync(cancellationToken);
                    if ((int)response.StatusCode == 403 && body.Contains("\"exportSizeLimitExceeded\"", StringComparison.Ordinal))
                    {
                        throw new ExportTooLargeException();
                    }

                    throw OAuthHttp.ApiError(response.StatusCode, body);
                }
            }

            return response;
        }, cancellationToken);
}
