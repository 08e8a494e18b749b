namespace Mwap.Api.IntegrationTests.Infrastructure;

/// <summary>Unique subjects per test, so tests never share state (no reset between tests).</summary>
public static class TestUsers
{
    public static string NewSubject(string name = "user") => $"auth0|{name}-{Guid.NewGuid():N}";

    public static string UniqueName(string prefix = "Tenant") => $"{prefix} {Guid.NewGuid().ToString("N")[..10]}";
}
