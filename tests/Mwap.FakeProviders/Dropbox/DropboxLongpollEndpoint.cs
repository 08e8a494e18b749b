using System.Diagnostics;
using System.Text.Json.Nodes;
using Mwap.FakeProviders.Hosting;

namespace Mwap.FakeProviders.Dropbox;

/// <summary>
/// notify.dropboxapi.com's <c>list_folder/longpoll</c>: no Authorization header, <c>{cursor, timeout}</c> in,
/// <c>{changes}</c> out. Answers at once when continuing the cursor would return something, otherwise waits at most
/// <see cref="FakeProviderState.LongpollWait"/> (not the requested 30–480 s) and answers <c>changes:false</c>.
/// </summary>
internal static class DropboxLongpollEndpoint
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    public static void MapDropboxLongpoll(this IEndpointRouteBuilder app, FakeProviderState provider) =>
        app.MapPost(ProviderPaths.DropboxNotify + "/2/files/list_folder/longpoll", Task<IResult> (HttpContext context) => LongpollAsync(context, provider));

    private static async Task<IResult> LongpollAsync(HttpContext context, FakeProviderState provider)
    {
        const string Route = "files/list_folder/longpoll";
        var (args, error) = await DropboxRpc.ReadArgsAsync(context, Route);
        if (error is not null)
        {
            return error;
        }

        var token = DropboxRpc.String(args, "cursor");
        if (DropboxCursor.TryDecode(token) is not { } cursor)
        {
            return DropboxErrors.BadInput(Route, $"Invalid \"cursor\" parameter: '{token}'");
        }

        var timeout = DropboxRpc.Int(args, "timeout") ?? 30;
        if (timeout is < 30 or > 480)
        {
            return DropboxErrors.BadInput(Route, $"request body: timeout: {timeout} is not within range [30, 480]");
        }

        // Wall-clock wait, not the provider's clock: a test's frozen FakeTimeProvider must not hang the request.
        var wait = Min(TimeSpan.FromSeconds(timeout), provider.LongpollWait);
        var timer = Stopwatch.StartNew();
        while (true)
        {
            if (DropboxFeed.Usable(provider, cursor) is not { } folder)
            {
                return DropboxErrors.Reset();
            }

            if (DropboxFeed.HasChanges(provider, folder, cursor))
            {
                return FakeResult.Json(new JsonObject { ["changes"] = true });
            }

            if (timer.Elapsed >= wait)
            {
                return FakeResult.Json(new JsonObject { ["changes"] = false });
            }

            await Task.Delay(PollInterval, context.RequestAborted);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
