using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.Api.IntegrationTests.Infrastructure.Hosting;

namespace Mwap.Api.IntegrationTests.Features.SuperAdmins;

/// <summary>
/// The <c>superadmin</c> verb run as a real process against the running server's database (no Redis): add and remove take
/// effect on the running instance within 5 seconds even though its role cache already holds the user; the last
/// superadmin cannot be removed; every change is audited with actor <c>cli</c>.
/// </summary>
public sealed class SuperAdminVerbTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        DevModeTests.RunVerbAsync("Testing", factory.Database.Directory, new Dictionary<string, string>
        {
            ["Database__Provider"] = factory.Database.Provider,
            ["ConnectionStrings__Mwap"] = factory.Database.ConnectionString,
        }, args);

    /// <summary>Polls a superadmin-only route until it answers <paramref name="expected"/>; returns how long that took.</summary>
    private static async Task<TimeSpan> WaitForAsync(HttpClient client, HttpStatusCode expected)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = (await client.GetAsync("/api/v1/tenants")).StatusCode;
            if (status == expected)
            {
                return clock.Elapsed;
            }

            Assert.True(clock.Elapsed < Deadline, $"still {(int)status} after {clock.Elapsed.TotalSeconds:0.0} s");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task AddListRemove_ReachTheRunningInstanceWithinSeconds_AndAreAudited()
    {
        var first = TestUsers.NewSubject("cli-first");
        var second = TestUsers.NewSubject("cli-second");
        var firstClient = factory.CreateClientFor(first);
        // The running instance has looked this user up (and cached the roles) before the CLI changes anything.
        await (await firstClient.GetAsync("/api/v1/tenants")).AssertErrorAsync(HttpStatusCode.Forbidden, "auth/insufficient-permissions");

        var add = await RunAsync("superadmin", "add", first);
        Assert.True(add.ExitCode == 0, add.Stderr);
        Assert.Contains($"Added superadmin {first}", add.Stdout, StringComparison.Ordinal);
        var addedAfter = await WaitForAsync(firstClient, HttpStatusCode.OK);

        var last = await RunAsync("superadmin", "remove", first);
        Assert.Equal(1, last.ExitCode);
        Assert.Contains("last superadmin", last.Stderr, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await firstClient.GetAsync("/api/v1/tenants")).StatusCode);

        Assert.Equal(0, (await RunAsync("superadmin", "add", second)).ExitCode);
        var list = await RunAsync("superadmin", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(first, list.Stdout, StringComparison.Ordinal);
        Assert.Contains(second, list.Stdout, StringComparison.Ordinal);
        Assert.Contains("by cli", list.Stdout, StringComparison.Ordinal);

        var remove = await RunAsync("superadmin", "remove", first);
        Assert.True(remove.ExitCode == 0, remove.Stderr);
        var removedAfter = await WaitForAsync(firstClient, HttpStatusCode.Forbidden);
        Assert.True(addedAfter < Deadline && removedAfter < Deadline);

        var audit = await factory.WithDbAsync(db => db.AuditLogs.AsNoTracking().Where(a => a.TargetType == "superadmin")
            .OrderBy(a => a.CreatedAt).Select(a => new { a.Action, a.ActorId, a.TargetId }).ToListAsync());
        Assert.Equal(
            [("superadmin.add", "cli", first), ("superadmin.add", "cli", second), ("superadmin.remove", "cli", first)],
            audit.Select(a => (a.Action, a.ActorId, a.TargetId!)).ToList());
    }

    [Theory]
    [InlineData("superadmin")]
    [InlineData("superadmin", "add")]
    [InlineData("superadmin", "drop", "auth0|x")]
    public async Task BadArguments_PrintUsage_AndExit2(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("superadmin list", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemovingSomeoneWhoIsNotASuperadmin_Exits1()
    {
        var result = await RunAsync("superadmin", "remove", TestUsers.NewSubject("nobody"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not a superadmin", result.Stderr, StringComparison.Ordinal);
    }
}
