using System.Globalization;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.SuperAdmins;

/// <summary>
/// The <c>superadmin</c> verb: <c>add SUB</c>, <c>remove SUB</c> (refuses the last one) and <c>list</c>. Changes are
/// audited with actor <c>cli</c> and reach running instances within <see cref="SuperAdminDirectory.PollInterval"/>.
/// Results go to stdout, refusals to stderr with exit code 1, usage errors with exit code 2.
/// </summary>
internal static class SuperAdminVerb
{
    public const string Usage = "Usage: superadmin add <sub> | superadmin remove <sub> | superadmin list";
    private const string Actor = "cli";

    public static async Task<int> RunAsync(WebApplication app, IReadOnlyList<string> args)
    {
        var sub = args.Count == 2 ? args[1].Trim() : "";
        var valid = args switch
        {
            ["list"] => true,
            ["add" or "remove", _] => sub.Length is > 0 and <= 256,
            _ => false,
        };
        if (!valid)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        await app.Services.MigrateDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<SuperAdminRegistry>();
        switch (args[0])
        {
            case "add":
                var added = await registry.AddAsync(sub, Actor, CancellationToken.None);
                await Console.Out.WriteLineAsync(added ? $"Added superadmin {sub}" : $"{sub} is already a superadmin");
                return 0;
            case "remove":
                var result = await registry.RemoveAsync(sub, Actor, CancellationToken.None);
                if (result == RemoveResult.Removed)
                {
                    await Console.Out.WriteLineAsync($"Removed superadmin {sub}");
                    return 0;
                }

                await Console.Error.WriteLineAsync(result == RemoveResult.LastOne
                    ? $"{sub} is the last superadmin; add another one before removing it"
                    : $"{sub} is not a superadmin");
                return 1;
            default:
                foreach (var admin in await registry.ListAsync(CancellationToken.None))
                {
                    await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{admin.UserId}\tadded {admin.CreatedAt:yyyy-MM-dd'T'HH:mm:ss'Z'} by {admin.AddedBy}"));
                }

                return 0;
        }
    }
}
