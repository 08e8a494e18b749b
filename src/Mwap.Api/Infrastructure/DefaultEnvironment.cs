namespace Mwap.Api.Infrastructure;

internal static class DefaultEnvironment
{
    /// <summary>
    /// When no environment is set, choose one by build: Development for a Debug build (what <c>dotnet run</c> makes),
    /// Production for a Release build (what <c>dotnet publish</c> makes). A fresh clone thus runs in development mode with
    /// nothing to configure, while a published server that forgot ASPNETCORE_ENVIRONMENT still gets Production's refusals.
    /// It is set as the lowest-precedence source (an environment variable), so <c>--environment</c> and hosts still override it.
    /// </summary>
    public static void Apply()
    {
        if (Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") is null &&
            Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is null)
        {
#if DEBUG
            Environment.SetEnvironmentVariable("DOTNET_ENVIRONMENT", Environments.Development);
#else
            Environment.SetEnvironmentVariable("DOTNET_ENVIRONMENT", Environments.Production);
#endif
        }
    }
}
