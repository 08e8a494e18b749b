using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.Features.Integrations.Tokens;

namespace Mwap.Bench;

/// <summary>The two timed phases of a run: the real job, and the bare HTTP baseline at the same concurrency.</summary>
internal sealed class Phases(IServiceProvider services, FakeServerProcess fake, Seeder seeder, int concurrency) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

    /// <summary>
    /// <see cref="TokenRefreshJob.RunAsync"/> over the integrations made due (all, or the given ones), resolved from a
    /// scope as Hangfire resolves it; then checks that every one of them was refreshed at the fake and in the database.
    /// </summary>
    public async Task<PhaseResult> RunJobAsync(IReadOnlyCollection<string>? ids, int expected)
    {
        await seeder.MakeDueAsync(ids);
        var requestsBefore = await fake.DropboxRefreshRequestsAsync();
        var since = DateTime.UtcNow;
        await using var scope = services.CreateAsyncScope();
        var job = scope.ServiceProvider.GetRequiredService<TokenRefreshJob>();

        var probe = MemoryProbe.Start();
        var clock = Stopwatch.StartNew();
        var result = await job.RunAsync(CancellationToken.None);
        clock.Stop();
        var memory = probe.Stop();

        var requests = await fake.DropboxRefreshRequestsAsync() - requestsBefore;
        var state = await seeder.ReadStateAsync(since);
        Check(result.Candidates == expected, $"job found {result.Candidates} due integrations, expected {expected}");
        Check(result.Refreshed == expected && result.Failed == 0, $"job refreshed {result.Refreshed} and failed {result.Failed} of {expected}");
        Check(requests == expected, $"the fake saw {requests} refresh requests, expected exactly {expected}");
        Check(state.RefreshedSince == expected, $"{state.RefreshedSince} integrations have LastRefreshedAt after the run started, expected {expected}");
        Check(state.Leased == 0, $"{state.Leased} integrations still hold a refresh lease");
        Check(state.NotActive == 0, $"{state.NotActive} integrations are no longer active");
        return new PhaseResult(expected, clock.Elapsed, memory);
    }

    /// <summary>The same number of refresh-token POSTs straight to the fake's token endpoint: no database, no encryption, no job.</summary>
    public async Task<PhaseResult> RunBaselineAsync(IReadOnlyList<SeededIntegration> integrations)
    {
        var endpoints = fake.Endpoints;
        var requestsBefore = await fake.DropboxRefreshRequestsAsync();
        var failed = 0;

        var probe = MemoryProbe.Start();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(integrations, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (integration, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoints.TokenUrl)
            {
                Content = new FormUrlEncodedContent(
                [
                    new("grant_type", "refresh_token"),
                    new("refresh_token", integration.RefreshToken),
                    new("client_id", endpoints.ClientId),
                    new("client_secret", endpoints.ClientSecret),
                ]),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await _http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode || !body.Contains("\"access_token\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref failed);
            }
        });
        clock.Stop();
        var memory = probe.Stop();

        var requests = await fake.DropboxRefreshRequestsAsync() - requestsBefore;
        Check(failed == 0, $"{failed} baseline refreshes failed");
        Check(requests == integrations.Count, $"the fake saw {requests} baseline refresh requests, expected exactly {integrations.Count}");
        return new PhaseResult(integrations.Count, clock.Elapsed, memory);
    }

    private static void Check(bool condition, string failure)
    {
        if (!condition)
        {
            throw new BenchmarkFailedException(failure);
        }
    }

    public void Dispose() => _http.Dispose();
}

internal sealed record PhaseResult(int Refreshes, TimeSpan Elapsed, PhaseMemory Memory)
{
    public double PerSecond => Refreshes / Elapsed.TotalSeconds;
    /// <summary>Null when the GC's allocation counter jumped during the phase (see <see cref="MemoryProbe"/>).</summary>
    public double? AllocatedPerRefresh => Memory.Allocated is { } bytes ? (double)bytes / Refreshes : null;
}

/// <summary>A check after a phase failed: the figures would be meaningless.</summary>
internal sealed class BenchmarkFailedException(string message) : Exception(message);
