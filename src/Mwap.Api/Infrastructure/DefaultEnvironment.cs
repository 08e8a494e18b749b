namespace Mwap.Api.Infrastructure;

internal static class DefaultEnvironment
{
    /// <summary>
    /// The environment when none is set: Development for a Debug build (what <c>dotnet run</c> makes), Production for a
    /// Release build (what <c>dotnet publish</c> makes). So a fresh clone runs in development mode with nothing to
    /// configure, while a published server that forgot ASPNETCORE_ENVIRONMENT still gets Production's refusals.
    /// </summary>
    public static string Resolve() =>
        Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
        ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
#if DEBUG
        ?? Environments.Development;
#else
        ?? Environments.Production;
#endif
}
