using Microsoft.EntityFrameworkCore;

namespace Mwap.Api.Infrastructure.Persistence;

internal static class ConcurrencyRetry
{
    /// <summary>
    /// Runs a read-check-write unit again when another request changed the same versioned row first. Each attempt
    /// starts from a clean change tracker, so its rule checks see the winner's write. Every round has a winner, so with
    /// enough attempts a burst of writers on one row all finish (the default covers a burst of 15 on a busy machine).
    /// </summary>
    public static async Task<T> RunAsync<T>(DbContext db, Func<Task<T>> attempt, int attempts = 15)
    {
        for (var i = 1; ; i++)
        {
            try
            {
                return await attempt();
            }
            catch (DbUpdateConcurrencyException) when (i < attempts)
            {
                db.ChangeTracker.Clear();
                await Task.Delay(Random.Shared.Next(5, Math.Min(25 * i, 200)));
            }
        }
    }
}
