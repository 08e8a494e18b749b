namespace Mwap.Api.Features.Files.Sync;

/// <summary>Overlaps provider requests with index writes during a sync.</summary>
internal static class PageReadAhead
{
    /// <summary>
    /// Enumerates <paramref name="pages"/> one page ahead: the next page's request is in flight while the caller
    /// writes the current one. Errors surface in order, when the page that failed is reached; leaving early cancels
    /// and awaits the request in flight.
    /// </summary>
    public static async IAsyncEnumerable<ChangePage> ReadAheadAsync(Func<CancellationToken, IAsyncEnumerable<ChangePage>> pages,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var enumerator = pages(stop.Token).GetAsyncEnumerator(stop.Token);
        var next = enumerator.MoveNextAsync().AsTask();
        try
        {
            while (await next)
            {
                var page = enumerator.Current;
                next = enumerator.MoveNextAsync().AsTask();
                yield return page;
            }
        }
        finally
        {
            if (!next.IsCompleted)
            {
                await stop.CancelAsync();
            }

            try
            {
                await next;
            }
            catch (Exception) when (stop.IsCancellationRequested || next.IsFaulted)
            {
                // Already surfaced, or cancelled because the consumer left early.
            }

            await enumerator.DisposeAsync();
        }
    }
}
